namespace VideoGen.Core.Providers;

/// <summary>No signal bus at all: every wait simply lasts its timeout. Correct everywhere, only slower.</summary>
public sealed class PollingOnlySignals(TimeProvider time) : IProviderSignals
{
    public Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct) => Task.Delay(timeout, time, ct);

    public Task SignalAsync(string requestId, CancellationToken ct) => Task.CompletedTask;
}
