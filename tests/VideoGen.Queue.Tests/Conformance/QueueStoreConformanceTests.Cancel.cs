using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Cancel_WaitingOrDelayedJob_EndsCanceledAndIsNeverClaimed()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("now"), T0, Ct);
        await store.EnqueueAsync(Job("later", runAt: T0.AddSeconds(5)), T0, Ct);

        Assert.Equal(CancelOutcome.Canceled, await store.CancelAsync("now", "user asked", T0, Ct));
        Assert.Equal(CancelOutcome.Canceled, await store.CancelAsync("later", "user asked", T0, Ct));

        Assert.Empty(await store.ClaimAsync(Claim(10), T0.AddSeconds(10), Ct));
        var job = await GetAsync(store, "now");
        Assert.Equal(JobState.Canceled, job.State);
        Assert.Equal(T0, job.FinishedAt);
        Assert.Equal(JobState.Canceled, (await GetAsync(store, "later")).State);
    }

    [Fact]
    public async Task Cancel_FinishedOrUnknownJob_ChangesNothing()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken)], T0, Ct);

        Assert.Equal(CancelOutcome.AlreadyFinished, await store.CancelAsync("a", "late", T0, Ct));
        Assert.Equal(CancelOutcome.NotFound, await store.CancelAsync("missing", "late", T0, Ct));
        Assert.Equal(JobState.Completed, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task Cancel_ActiveJob_IsRequestedAndReportedByLeaseRenewal()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);

        var outcome = await store.CancelAsync("a", "user asked", T0, Ct);
        var renewal = await store.ExtendLeasesAsync("w1", [new LeaseRef("a", claimed.LeaseToken)], TimeSpan.FromSeconds(30), T0.AddSeconds(1), Ct);

        Assert.Equal(CancelOutcome.CancelRequested, outcome);
        Assert.Equal(["a"], renewal.CancelRequested);
        Assert.Empty(renewal.Lost);
        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Active, job.State);
        Assert.True(job.CancelRequested);
        Assert.True(await store.MarkCanceledAsync(new LeaseRef("a", claimed.LeaseToken), "user asked", T0.AddSeconds(1), Ct));
        Assert.Equal(JobState.Canceled, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task Cancel_ActiveJobWhoseHandlerFailsAnyway_EndsCanceledNotRetried()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 3), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        await store.CancelAsync("a", "user asked", T0, Ct);

        await store.FailAsync(new JobFailure("a", claimed.LeaseToken, "aborted", Retryable: true, T0.AddSeconds(1)), T0, Ct);

        Assert.Equal(JobState.Canceled, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task Cancel_ActiveJobReleasedAnyway_EndsCanceledNotRequeued()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        await store.CancelAsync("a", "user asked", T0, Ct);

        Assert.True(await store.ReleaseAsync(new LeaseRef("a", claimed.LeaseToken), T0, T0, Ct));

        Assert.Equal(JobState.Canceled, (await GetAsync(store, "a")).State);
        Assert.Empty(await store.ClaimAsync(Claim(10), T0.AddSeconds(1), Ct));
    }

    [Fact]
    public async Task Cancel_ActiveJobWhoseWorkerDied_EndsCanceledAtRecovery()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 3), T0, Ct);
        await ClaimOneAsync(store, T0, worker: "dead", lease: TimeSpan.FromSeconds(10));
        await store.CancelAsync("a", "user asked", T0, Ct);

        Assert.Equal(1, await store.RecoverExpiredAsync(T0.AddSeconds(11), Ct));

        Assert.Equal(JobState.Canceled, (await GetAsync(store, "a")).State);
        Assert.Empty(await store.ClaimAsync(Claim(10), T0.AddSeconds(12), Ct));
    }

    [Fact]
    public async Task Cancel_ActiveJobThatCompletesFirst_EndsCompleted()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        await store.CancelAsync("a", "user asked", T0, Ct);

        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken, "done")], T0, Ct));

        var job = await GetAsync(store, "a");
        Assert.Equal((JobState.Completed, "done"), (job.State, job.Result));
    }

    [Fact]
    public async Task Cancel_ActiveJobOnAWorker_FiresTheHandlerTokenAndEndsCanceled()
    {
        // A fake clock that is never advanced: the cancel must arrive as an event, not at the next heartbeat.
        var time = new FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartWorkerAsync(store, new DelegateHandler(async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                tokenFired.TrySetResult();
                throw;
            }

            return null;
        }), time, Options());
        await store.EnqueueAsync(Job("a"), T0, Ct);
        await Eventually.CompletesAsync(started.Task, "the handler to start");

        var outcome = await store.CancelAsync("a", "user asked", T0, Ct);

        Assert.Equal(CancelOutcome.CancelRequested, outcome);
        await Eventually.CompletesAsync(tokenFired.Task, "the handler's token to fire");
        await WaitForStateAsync(store, "a", JobState.Canceled);
        Assert.Equal(1, (await GetAsync(store, "a")).Attempt);
    }
}
