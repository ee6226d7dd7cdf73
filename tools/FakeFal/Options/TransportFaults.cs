namespace FakeFal.Options;

/// <summary>
/// Faults on one HTTP exchange. Rates are probabilities in [0, 1]; an unset value on a route
/// override falls back to the global value in <see cref="FaultOptions"/>.
/// </summary>
public class TransportFaults
{
    /// <summary>Rate of 500/502/503 answers (the request is not processed).</summary>
    public double? ServerErrorRate { get; set; }

    /// <summary>Rate of 429 answers with <c>Retry-After</c> (the request is not processed).</summary>
    public double? RateLimitRate { get; set; }

    /// <summary>Seconds sent in <c>Retry-After</c> with a 429.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Rate of answers delayed by <see cref="SlowDelay"/> before processing.</summary>
    public double? SlowRate { get; set; }

    public TimeSpan? SlowDelay { get; set; }

    /// <summary>
    /// Rate of aborted connections. On submit the request is accepted first, so the caller has
    /// paid but does not know the request id (the "unknown outcome" case).
    /// </summary>
    public double? DropRate { get; set; }

    /// <summary>Rate of truncated JSON bodies (on submit, after the request was accepted).</summary>
    public double? MalformedJsonRate { get; set; }
}
