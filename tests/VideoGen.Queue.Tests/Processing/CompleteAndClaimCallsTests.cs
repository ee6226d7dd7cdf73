using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue.Processing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>
/// One call writes a batch of completions and claims; what calls in flight will add or remove counts, so
/// two lanes never lease more than the worker may hold.
/// </summary>
public sealed class CompleteAndClaimCallsTests
{
    [Fact]
    public async Task FreeToClaim_IsOneJobPerSlot_LessJobsHeld_ExceptThoseWhoseCompletionTheCallerSends()
    {
        await using var parts = new WorkerParts(concurrency: 4);
        var calls = Calls(parts);
        await parts.HoldOneAsync(ready: true);

        Assert.Equal(3, calls.FreeToClaim(ownCompletions: 0));
        Assert.Equal(4, calls.FreeToClaim(ownCompletions: 1));
    }

    [Fact]
    public async Task CallAsync_WritesTheBatch_LetsGoOfIt_AndStartsTheClaimedJobs()
    {
        await using var parts = new WorkerParts(DelegateHandler.Completing("ok"), concurrency: 4);
        var calls = Calls(parts);
        var done = await parts.HoldOneAsync();
        await parts.Outcomes.WriteAsync(done, "first", error: null);
        var batch = parts.TakeCompletions();
        await parts.EnqueueAsync(3);

        var claimed = await calls.CallAsync(batch, claim: 2);

        Assert.Equal(2, claimed);
        Assert.Empty(batch);
        Assert.Equal(JobState.Completed, (await parts.GetAsync(done.Job.Id)).State);
        Assert.False(parts.Held.TryGet(done.Job.Id, out _));
        Assert.True(calls.MoreWaiting);
        var completed = new List<string>();
        await Eventually.TrueAsync(
            () =>
            {
                completed.AddRange(parts.TakeCompletions().Select(c => c.Completion.JobId));
                return completed.Count == 2;
            },
            "the two claimed jobs to run and wait as completions");
        Assert.Equal(["j1", "j2"], completed.Order());
        Assert.Equal(2, parts.Held.Count);
    }

    [Fact]
    public async Task CallAsync_ThatGetsLessThanItAsked_SaysNothingMoreIsWaiting()
    {
        await using var parts = new WorkerParts(DelegateHandler.Completing(), concurrency: 4);
        var calls = Calls(parts);
        await parts.EnqueueAsync(1);

        Assert.Equal(1, await calls.CallAsync([], claim: 3));

        Assert.False(calls.MoreWaiting);
    }

    [Fact]
    public async Task WhileACallIsOut_ItsClaimCounts_AndItsCompletionsDoNot()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var parts = new WorkerParts(
            new DelegateHandler(async (_, _) => { await gate.Task; return null; }),
            concurrency: 4,
            overNetwork: sqlite => new RoundTripStore(sqlite, TimeSpan.FromMilliseconds(200)));
        var calls = Calls(parts);
        var done = await parts.HoldOneAsync();
        await parts.Outcomes.WriteAsync(done, null, error: null);
        var batch = parts.TakeCompletions();
        await parts.EnqueueAsync(2);
        Assert.Equal(4, calls.FreeToClaim(ownCompletions: 1));

        var call = calls.CallAsync(batch, claim: 2);
        var duringCall = calls.FreeToClaim(ownCompletions: 0);
        await Eventually.CompletesAsync(call, "the call over the simulated network");

        Assert.Equal(2, duringCall);
        Assert.Equal(2, calls.FreeToClaim(ownCompletions: 0));
        gate.SetResult();
        await Eventually.TrueAsync(() => parts.Executions.Count == 0, "the claimed jobs' handlers to end");
    }

    [Fact]
    public async Task MaxClaimPerCall_IsHalfOfWhatTheWorkerMayHold_OnlyWithTwoLanes()
    {
        await using var parts = new WorkerParts(concurrency: 8);

        Assert.Equal(4, Calls(parts, twoLanes: true).MaxClaimPerCall);
        Assert.Equal(int.MaxValue, Calls(parts, twoLanes: false).MaxClaimPerCall);
    }

    private static CompleteAndClaimCalls Calls(WorkerParts parts, bool twoLanes = false) =>
        new(parts.Store, parts.Options, parts.Time, parts.Held, parts.Runners, parts.ClaimAhead, twoLanes, NullLogger.Instance);
}
