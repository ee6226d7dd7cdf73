namespace FakeFal.Options;

/// <summary>
/// Faults on one HTTP exchange. Rates are probabilities in [0, 1]; an unset value on a route
/// override falls back to the global value in <see cref="FaultOptions"/>.
/// </summary>
public class TransportFaults
{
    /// <summary>
    /// Rate of server error answers (one of <see cref="ServerErrorStatusCodes"/>). The request is not processed,
    /// unless <see cref="ServerErrorAfterAccept"/> is set.
    /// </summary>
    public double? ServerErrorRate { get; set; }

    /// <summary>
    /// The statuses a server error answers with, one picked at random per answer, e.g. <c>[502]</c> or Cloudflare's
    /// <c>[520, 521, 522, 523, 524]</c>; values outside 500–599 are ignored.
    /// </summary>
    /// <value>The default value is <c>[500, 502, 503]</c>.</value>
    public int[]? ServerErrorStatusCodes { get; set; }

    /// <summary>
    /// Body of a server error: <c>json</c> (fal's own <c>{"detail": …}</c>) or <c>html</c> (a gateway's or CDN's
    /// error page, <c>text/html</c>).
    /// </summary>
    /// <value>The default value is <c>json</c>.</value>
    public string? ServerErrorBody { get; set; }

    /// <summary>
    /// When true, a server error is the answer to a request that was processed first: on submit the request is
    /// accepted (queued, paid) and then answered 5xx, as when a gateway in front of fal's queue loses fal's answer.
    /// </summary>
    /// <value>The default value is false (the request is not processed).</value>
    public bool? ServerErrorAfterAccept { get; set; }

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

    /// <summary>
    /// Rate of answers held back for <see cref="StallDelay"/> after the request was processed (on submit: accepted,
    /// paid), so a caller with a shorter timeout gives up without knowing the outcome.
    /// </summary>
    public double? StallRate { get; set; }

    /// <value>The default value is 5 minutes.</value>
    public TimeSpan? StallDelay { get; set; }
}
