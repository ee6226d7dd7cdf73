using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue.Processing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>One renewal call for every held lease; its answer stops lost jobs and cancels canceled ones.</summary>
public sealed class LeaseKeeperTests : IAsyncDisposable
{
    private readonly WorkerParts _parts = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RenewOnce_ExtendsEveryLiveLease_FromNow()
    {
        var run = await _parts.HoldOneAsync(ready: true);
        _parts.Time.Advance(TimeSpan.FromSeconds(10));

        await Keeper().RenewOnceAsync();

        Assert.Equal(WorkerParts.T0.AddSeconds(10) + _parts.Options.LeaseDuration, (await _parts.GetAsync(run.Job.Id)).LeaseExpiresAt);
    }

    [Fact]
    public async Task RenewOnce_LostLease_MarksTheJobLost_AndDropsItWhileItWaits()
    {
        var run = await _parts.HoldOneAsync(ready: true);
        _parts.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await _parts.Store.RecoverExpiredAsync(_parts.Time.GetUtcNow(), Ct));

        await Keeper().RenewOnceAsync();

        Assert.True(run.Lost);
        await Eventually.TrueAsync(() => !_parts.Held.TryGet(run.Job.Id, out _), "the lost job to be let go");
        Assert.Equal(JobState.Waiting, (await _parts.GetAsync(run.Job.Id)).State);
    }

    [Fact]
    public async Task RenewOnce_CancelRequested_FiresTheRunningHandlersToken()
    {
        var run = await _parts.HoldOneAsync(ready: true);
        Assert.True(_parts.Ready.TryTakeNext(out _));
        Assert.Equal(CancelOutcome.CancelRequested, await _parts.Store.CancelAsync(run.Job.Id, "user", _parts.Time.GetUtcNow(), Ct));

        await Keeper().RenewOnceAsync();

        Assert.True(run.CancelRequested);
        await Eventually.TrueAsync(() => run.Cancellation.Token.IsCancellationRequested, "the running handler's token to fire");
        Assert.Equal(0, _parts.Executions.Count);
    }

    public ValueTask DisposeAsync() => _parts.DisposeAsync();

    private LeaseKeeper Keeper() =>
        new(_parts.Store, _parts.Options, _parts.Time, _parts.Held, _parts.Settler, _parts.Slots, announcer: null, NullLogger.Instance);
}
