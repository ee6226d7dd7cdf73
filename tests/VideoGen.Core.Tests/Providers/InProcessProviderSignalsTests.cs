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

    [Fact]
    public async Task Signal_WhileNobodyWaits_MakesTheNextWaitReturnAtOnce_OnlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var signals = new InProcessProviderSignals(time);

        await signals.SignalAsync("req-1", ct);

        // The clock never moves, so only the kept signal can end this wait.
        await signals.WaitAsync("req-1", TimeSpan.FromMinutes(5), ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        var second = signals.WaitAsync("req-1", TimeSpan.FromMinutes(5), ct);
        Assert.False(second.IsCompleted);
        await signals.SignalAsync("req-1", ct);
        await second.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    [Fact]
    public async Task Signal_KeptTooLong_IsForgotten()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var signals = new InProcessProviderSignals(time);

        await signals.SignalAsync("req-1", ct);
        time.Advance(InProcessProviderSignals.PendingLifetime);

        var wait = signals.WaitAsync("req-1", TimeSpan.FromMinutes(5), ct);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));
        await wait.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }
}
