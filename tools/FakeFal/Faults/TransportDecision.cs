namespace FakeFal.Faults;

/// <summary>What goes wrong with one HTTP exchange, decided before the handler runs.</summary>
public enum TransportFault
{
    None,
    ServerError,
    RateLimit,
    Drop,
    MalformedJson,

    /// <summary>The request is processed, then its answer is held back (the caller times out).</summary>
    Stall,
}

/// <param name="Fault">The fault to apply, if any.</param>
/// <param name="Delay">Extra latency applied first (slow responses).</param>
/// <param name="StatusCode">Status for <see cref="TransportFault.ServerError"/>.</param>
/// <param name="RetryAfterSeconds">Value of Retry-After for <see cref="TransportFault.RateLimit"/>.</param>
/// <param name="HtmlBody">A server error's body is a gateway's HTML page instead of fal's JSON.</param>
/// <param name="AfterAccept">A server error answers after the request was processed (on submit: accepted, paid).</param>
/// <param name="StallDelay">How long a <see cref="TransportFault.Stall"/> holds the answer back.</param>
public sealed record TransportDecision(
    TransportFault Fault,
    TimeSpan Delay,
    int StatusCode = 0,
    int RetryAfterSeconds = 0,
    bool HtmlBody = false,
    bool AfterAccept = false,
    TimeSpan StallDelay = default)
{
    public static readonly TransportDecision Clean = new(TransportFault.None, TimeSpan.Zero);
}
