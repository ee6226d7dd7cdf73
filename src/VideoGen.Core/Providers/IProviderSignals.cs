namespace VideoGen.Core.Providers;

/// <summary>
/// Wakes a pipeline waiting on a provider request when news arrives (a webhook, in any server
/// process). Polling remains the safety net, so a lost signal only costs latency.
/// </summary>
public interface IProviderSignals
{
    /// <summary>Completes when <paramref name="requestId"/> is signalled, or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct);

    /// <summary>Signals waiters of <paramref name="requestId"/> (in every process that shares the signal bus).</summary>
    Task SignalAsync(string requestId, CancellationToken ct);
}
