namespace FakeFal.Faults;

/// <summary>What goes wrong with one HTTP exchange, decided before the handler runs.</summary>
public enum TransportFault
{
    None,
    ServerError,
    RateLimit,
    Drop,
    MalformedJson,
}

/// <param name="Fault">The fault to apply, if any.</param>
/// <param name="Delay">Extra latency applied first (slow responses).</param>
/// <param name="StatusCode">Status for <see cref="TransportFault.ServerError"/>.</param>
/// <param name="RetryAfterSeconds">Value of Retry-After for <see cref="TransportFault.RateLimit"/>.</param>
public sealed record TransportDecision(TransportFault Fault, TimeSpan Delay, int StatusCode = 0, int RetryAfterSeconds = 0)
{
    public static readonly TransportDecision Clean = new(TransportFault.None, TimeSpan.Zero);
}
