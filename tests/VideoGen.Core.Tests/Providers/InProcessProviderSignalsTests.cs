using System.Diagnostics;
using VideoGen.Core.Providers;

namespace VideoGen.Core.Tests.Providers;

public class InProcessProviderSignalsTests
{
    [Fact]
    public async Task Signal_WakesTheWaiterLongBeforeItsTimeout()
    {
        var signals = new InProcessProviderSignals(TimeProvider.System);
        var sw = Stopwatch.StartNew();

        var wait = signals.WaitAsync("req-1", TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        await signals.SignalAsync("req-1", TestContext.Current.CancellationToken);
        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Signal_ForAnotherRequest_DoesNotWake()
    {
        var signals = new InProcessProviderSignals(TimeProvider.System);

        var wait = signals.WaitAsync("req-1", TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        await signals.SignalAsync("req-2", TestContext.Current.CancellationToken);

        Assert.False(wait.IsCompleted);
        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // ends by its timeout
    }

    [Fact]
    public async Task Wait_Canceled_Throws()
    {
        var signals = new InProcessProviderSignals(TimeProvider.System);
        using var cts = new CancellationTokenSource();

        var wait = signals.WaitAsync("req-1", TimeSpan.FromMinutes(5), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
