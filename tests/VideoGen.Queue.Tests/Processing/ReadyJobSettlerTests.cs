using System.Diagnostics;
using VideoGen.Queue.Processing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>Jobs waiting for a slot are ended without their handler when they must not wait: canceled, lost, stale, or stopping.</summary>
public sealed class ReadyJobSettlerTests
{
    [Fact]
    public async Task SettleIfWaiting_CanceledJobStillWaiting_EndsCanceled()
    {
        await using var parts = new WorkerParts();
        var run = await parts.HoldOneAsync(ready: true);
        run.RequestCancel();

        parts.Settler.SettleIfWaiting(run);

        await Eventually.TrueAsync(async () => (await parts.GetAsync(run.Job.Id)).State == JobState.Canceled, "the waiting job to end canceled");
        Assert.False(parts.Ready.HasWaiting);
        await Eventually.TrueAsync(() => !parts.Held.TryGet(run.Job.Id, out _), "the job to be let go");
    }

    [Fact]
    public async Task SettleIfWaiting_LeavesAStartedJobToItsHandler()
    {
        await using var parts = new WorkerParts();
        var run = await parts.HoldOneAsync(ready: true);
        Assert.True(parts.Ready.TryTakeNext(out _));
        run.RequestCancel();

        parts.Settler.SettleIfWaiting(run);

        Assert.Equal(0, parts.Executions.Count);
        Assert.Equal(JobState.Active, (await parts.GetAsync(run.Job.Id)).State);
        await Eventually.TrueAsync(() => run.Cancellation.Token.IsCancellationRequested, "the running handler's token to fire");
    }

    [Fact]
    public async Task GiveBackStale_EverySlotBusy_ReleasesJobsPastTheBound_AndStopsClaimingAhead()
    {
        var maxWait = TimeSpan.FromMilliseconds(20);
        await using var parts = new WorkerParts(concurrency: 1, claimAheadMaxWait: maxWait, claimAhead: true);
        HandlersShort(parts);
        Assert.Equal(1, parts.ClaimAhead.Ahead);
        Assert.True(parts.Slots.TryTake());
        var run = await parts.HoldOneAsync(ready: true);
        await Eventually.TrueAsync(() => Stopwatch.GetElapsedTime(run.BufferedAt) > maxWait, "the ready job to wait past the bound");

        parts.Settler.GiveBackStale();

        await Eventually.TrueAsync(async () => (await parts.GetAsync(run.Job.Id)).State == JobState.Waiting, "the stale job to be given back");
        Assert.Equal(0, (await parts.GetAsync(run.Job.Id)).Attempt);
        Assert.Equal(0, parts.ClaimAhead.Ahead);
    }

    [Fact]
    public async Task GiveBackStale_LeavesJobsYoungerThanTheBoundWaiting()
    {
        await using var parts = new WorkerParts(concurrency: 1, claimAheadMaxWait: TimeSpan.FromMinutes(5));
        Assert.True(parts.Slots.TryTake());
        var run = await parts.HoldOneAsync(ready: true);

        parts.Settler.GiveBackStale();

        Assert.True(parts.Ready.HasWaiting);
        Assert.False(run.IsStarted);
        Assert.Equal(0, parts.Executions.Count);
    }

    [Fact]
    public async Task GiveBackStale_WithAFreeSlot_StartsAnotherRunnerInsteadOfGivingBack()
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var parts = new WorkerParts(new DelegateHandler((_, _) => { ran.TrySetResult(); return Task.FromResult<string?>("ok"); }), concurrency: 1, claimAheadMaxWait: TimeSpan.Zero);
        var run = await parts.HoldOneAsync(ready: true);

        parts.Settler.GiveBackStale();

        await Eventually.CompletesAsync(ran.Task, "a runner to start the waiting job");
        await Eventually.TrueAsync(() => run.AwaitingCompletionFlush, "the job's completion to wait for the next call");
    }

    [Fact]
    public async Task GiveBackAll_ReleasesEveryWaitingJob_AttemptIntact()
    {
        await using var parts = new WorkerParts(concurrency: 1);
        Assert.True(parts.Slots.TryTake());
        await parts.EnqueueAsync(2);
        foreach (var job in await parts.ClaimAsync(2))
        {
            var run = new RunningJob(job);
            parts.Held.Add(run);
            parts.Ready.Add(run);
        }

        parts.Settler.GiveBackAll();

        await Eventually.TrueAsync(() => parts.Held.Count == 0, "both jobs to be given back");
        foreach (var id in new[] { "j0", "j1" })
        {
            var job = await parts.GetAsync(id);
            Assert.Equal(JobState.Waiting, job.State);
            Assert.Equal(0, job.Attempt);
        }
    }

    /// <summary>Handlers well under a round trip: the policy claims ahead.</summary>
    private static void HandlersShort(WorkerParts parts)
    {
        var now = Stopwatch.GetTimestamp();
        parts.ClaimAhead.RoundTrip(now - Stopwatch.Frequency / 200);
        parts.ClaimAhead.HandlerRan(now);
    }
}
