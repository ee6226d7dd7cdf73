using System.Collections.Concurrent;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>Runners start every dispatched job within the slots, and never run a handler for a job that must not run.</summary>
public sealed class JobRunnersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dispatch_RunsEveryJob_NeverMoreHandlersAtOnceThanSlots()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new ConcurrentBag<string>();
        var running = 0;
        var peak = 0;
        var handler = new DelegateHandler(async (job, _) =>
        {
            var now = Interlocked.Increment(ref running);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }

            await gate.Task;
            ran.Add(job.Id);
            Interlocked.Decrement(ref running);
            return null;
        });
        await using var parts = new WorkerParts(handler, concurrency: 2);
        await parts.EnqueueAsync(6);

        parts.Runners.Dispatch(await parts.ClaimAsync(6));
        await Eventually.TrueAsync(() => Volatile.Read(ref running) == 2, "both slots to run a handler");
        Assert.Equal(2, parts.Slots.Taken);
        Assert.True(parts.Ready.HasWaiting);
        gate.SetResult();

        var completed = new List<string>();
        await Eventually.TrueAsync(
            () =>
            {
                completed.AddRange(parts.TakeCompletions().Select(c => c.Completion.JobId));
                return completed.Count == 6;
            },
            "all 6 jobs to wait as completions");
        await Eventually.TrueAsync(() => parts.Executions.Count == 0, "every execution to end");
        Assert.Equal(2, peak);
        Assert.Equal(6, ran.Distinct().Count());
        Assert.Equal(0, parts.Slots.Taken);
        Assert.Equal(6, parts.Held.Count);
    }

    [Fact]
    public async Task ReadyJobCanceledBeforeItStarts_IsSettledCanceled_WithoutItsHandler()
    {
        var calls = 0;
        await using var parts = new WorkerParts(new DelegateHandler((_, _) => { Interlocked.Increment(ref calls); return Task.FromResult<string?>(null); }));
        var run = await parts.HoldOneAsync(ready: true);
        run.RequestCancel();

        parts.Runners.EnsureRunners(1);

        await Eventually.TrueAsync(async () => (await parts.GetAsync(run.Job.Id)).State == JobState.Canceled, "the job to end canceled");
        await Eventually.TrueAsync(() => parts.Executions.Count == 0, "the settling to end");
        Assert.Equal(0, calls);
        Assert.Equal(0, parts.Slots.Taken);
        Assert.False(parts.Held.TryGet(run.Job.Id, out _));
    }

    [Fact]
    public async Task WhileStopping_DispatchedJobsGoBackToTheQueue_AttemptIntact()
    {
        var calls = 0;
        await using var parts = new WorkerParts(new DelegateHandler((_, _) => { Interlocked.Increment(ref calls); return Task.FromResult<string?>(null); }));
        await parts.EnqueueAsync(2);
        await parts.Stopping.CancelAsync();

        parts.Runners.Dispatch(await parts.ClaimAsync(2));

        await Eventually.CompletesAsync(parts.Executions.Drained, "the stopping runners to settle both jobs");
        foreach (var id in new[] { "j0", "j1" })
        {
            var job = await parts.GetAsync(id);
            Assert.Equal(JobState.Waiting, job.State);
            Assert.Equal(0, job.Attempt);
        }

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task HandlerThatThrows_GivesItsSlotBack_AndHasItsOutcomeWritten()
    {
        await using var parts = new WorkerParts(new DelegateHandler((_, _) => throw new PermanentJobException("no")), concurrency: 1);
        await parts.EnqueueAsync(1);

        parts.Runners.Dispatch(await parts.ClaimAsync(1));

        await Eventually.TrueAsync(async () => (await parts.GetAsync("j0")).State == JobState.Failed, "the job to fail");
        await Eventually.TrueAsync(() => parts.Executions.Count == 0, "the execution to end");
        Assert.Equal(0, parts.Slots.Taken);
    }

    [Fact]
    public async Task Handlers_SeeTheExecutionContextCapturedAtStart()
    {
        var flowed = new AsyncLocal<string>();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var parts = new WorkerParts(new DelegateHandler((_, _) => { seen.TrySetResult(flowed.Value); return Task.FromResult<string?>(null); }));
        await parts.EnqueueAsync(1);
        flowed.Value = "at start";
        parts.Runners.CaptureStartContext();
        flowed.Value = "later";

        parts.Runners.Dispatch(await parts.ClaimAsync(1));

        Assert.Equal("at start", await Eventually.CompletesAsync(seen.Task, "the handler to run"));
        await Eventually.TrueAsync(() => parts.Executions.Count == 0, "the execution to end");
    }

    [Fact]
    public async Task ReportProgress_FromTheHandler_ReachesTheStore()
    {
        await using var parts = new WorkerParts(new DelegateHandler(async (job, ct) =>
        {
            await job.ReportProgressAsync("""{"step":1}""", ct);
            return null;
        }));
        await parts.EnqueueAsync(1);

        parts.Runners.Dispatch(await parts.ClaimAsync(1));

        await Eventually.TrueAsync(async () => (await parts.GetAsync("j0")).Progress == """{"step":1}""", "the handler's progress in the store");
        await Eventually.TrueAsync(() => parts.Executions.Count == 0, "the execution to end");
    }
}
