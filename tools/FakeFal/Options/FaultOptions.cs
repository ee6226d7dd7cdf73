namespace FakeFal.Options;

/// <summary>
/// Fault injection. All rates default to 0: by default FakeFal injects nothing. Transport faults
/// set here apply to every queue route unless <see cref="Routes"/> overrides them per route
/// (<c>submit</c>, <c>status</c>, <c>stream</c>, <c>result</c>, <c>cancel</c>), e.g.
/// <c>--FakeFal:Faults:Routes:status:ServerErrorRate=0.2</c>.
/// </summary>
public sealed partial class FaultOptions : TransportFaults
{
    /// <summary>Per-route overrides of the transport faults.</summary>
    public Dictionary<string, TransportFaults> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rate of 422 validation errors at submit (nothing is queued).</summary>
    public double ValidationErrorRate { get; set; }

    /// <summary>Rate of requests that complete with an error result instead of a video.</summary>
    public double ErrorResultRate { get; set; }

    /// <summary><c>error_type</c> of injected error results.</summary>
    /// <value>The default value is <c>content_policy_violation</c>.</value>
    public string ErrorResultType { get; set; } = "content_policy_violation";

    /// <summary>HTTP status of the response URL for an error result.</summary>
    /// <value>The default value is 422.</value>
    public int ErrorResultStatusCode { get; set; } = 422;

    /// <summary>Rate of status calls that find the request expired (it is dropped; 404 from then on).</summary>
    public double ExpireRate { get; set; }

    /// <summary>Rate of webhooks delivered twice.</summary>
    public double DuplicateWebhookRate { get; set; }

    /// <summary>Rate of webhooks held back by <see cref="LateWebhookDelay"/>.</summary>
    public double LateWebhookRate { get; set; }

    /// <value>The default value is 5 s.</value>
    public TimeSpan LateWebhookDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rate of requests whose webhook is never sent (the caller must fall back to polling).</summary>
    public double LostWebhookRate { get; set; }

    /// <summary>Effective value of one transport fault for a route.</summary>
    public T Effective<T>(string route, Func<TransportFaults, T?> pick, T fallback) where T : struct
    {
        var r = RouteFaults(route);
        return (r is null ? null : pick(r)) ?? pick(this) ?? fallback;
    }

    /// <summary>Effective value of one transport fault setting of reference type for a route.</summary>
    public T EffectiveRef<T>(string route, Func<TransportFaults, T?> pick, T fallback) where T : class
    {
        var r = RouteFaults(route);
        return (r is null ? null : pick(r)) ?? pick(this) ?? fallback;
    }

    private TransportFaults? RouteFaults(string route) =>
        Routes.FirstOrDefault(kv => string.Equals(kv.Key, route, StringComparison.OrdinalIgnoreCase)).Value;
}
