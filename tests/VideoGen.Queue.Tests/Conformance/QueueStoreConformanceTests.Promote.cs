using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

/// <summary>Parked jobs woken early (<see cref="IQueueStore.PromoteAsync"/>): the provider webhook path.</summary>
public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Promote_ParkedJob_IsClaimableAtOnceWithoutBurningAnAttempt()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("parked", maxAttempts: 2), T0, Ct);
        var first = await ClaimOneAsync(store, T0);
        Assert.True(await store.ReleaseAsync(new LeaseRef("parked", first.LeaseToken), T0.AddMinutes(5), T0, Ct));
        Assert.Equal(JobState.Delayed, (await GetAsync(store, "parked")).State);

        var outcome = await store.PromoteAsync("parked", T0.AddSeconds(1), Ct);

        Assert.Equal(PromoteOutcome.Promoted, outcome);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, "parked")).State);
        var again = await ClaimOneAsync(store, T0.AddSeconds(1));
        Assert.Equal("parked", again.Id);
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public async Task Promote_FromAnotherHandle_WakesAnIdleWorkerAtOnce()
    {
        var store = await NewStoreAsync();
        var api = await OtherHandleAsync(store);
        var runs = 0;
        await StartWorkerAsync(store, new DelegateHandler((job, _) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                throw new RetryAfterException(TimeSpan.FromHours(1), "parked until the next status check");
            }

            return Task.FromResult<string?>("done");
        }), TimeProvider.System, Options(o => o.IdleWaitCeiling = TimeSpan.FromMinutes(1)));
        await store.EnqueueAsync(Job("p"), TimeProvider.System.GetUtcNow(), Ct);
        await WaitForStateAsync(store, "p", JobState.Delayed);

        Assert.Equal(PromoteOutcome.Promoted, await api.PromoteAsync("p", TimeProvider.System.GetUtcNow(), Ct));

        await WaitForStateAsync(store, "p", JobState.Completed, TimeSpan.FromSeconds(10));
        var done = await GetAsync(store, "p");
        Assert.Equal(1, done.Attempt);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task Promote_ActiveJob_MakesItsNextReleaseRunnableAtOnce_Once()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("busy"), T0, Ct);
        var first = await ClaimOneAsync(store, T0);

        Assert.Equal(PromoteOutcome.WakeNoted, await store.PromoteAsync("busy", T0, Ct));
        Assert.True(await store.ReleaseAsync(new LeaseRef("busy", first.LeaseToken), T0.AddMinutes(5), T0.AddSeconds(1), Ct));

        var woken = await GetAsync(store, "busy");
        Assert.Equal(JobState.Waiting, woken.State);
        var second = await ClaimOneAsync(store, T0.AddSeconds(1));
        Assert.Equal(1, second.Attempt);

        // The note was used up: the next park waits its full delay.
        Assert.True(await store.ReleaseAsync(new LeaseRef("busy", second.LeaseToken), T0.AddMinutes(5), T0.AddSeconds(2), Ct));
        var parked = await GetAsync(store, "busy");
        Assert.Equal(JobState.Delayed, parked.State);
        Assert.Equal(T0.AddMinutes(5), parked.RunAt);
    }

    [Fact]
    public async Task Promote_WaitingFinishedOrMissingJob_ChangesNothing()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("done"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("done", claimed.LeaseToken, "ok")], T0, Ct));
        await store.EnqueueAsync(Job("waiting"), T0, Ct);

        Assert.Equal(PromoteOutcome.AlreadyWaiting, await store.PromoteAsync("waiting", T0, Ct));
        Assert.Equal(JobState.Waiting, (await GetAsync(store, "waiting")).State);
        Assert.Equal(PromoteOutcome.Finished, await store.PromoteAsync("done", T0, Ct));
        Assert.Equal(PromoteOutcome.NotFound, await store.PromoteAsync("nobody", T0, Ct));
        Assert.Equal(JobState.Completed, (await GetAsync(store, "done")).State);
    }

    [Fact]
    public async Task Promote_CanceledParkedJob_StaysCanceled()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("c"), T0, Ct);
        var first = await ClaimOneAsync(store, T0);
        await store.ReleaseAsync(new LeaseRef("c", first.LeaseToken), T0.AddMinutes(5), T0, Ct);
        Assert.Equal(CancelOutcome.Canceled, await store.CancelAsync("c", "user", T0, Ct));

        Assert.Equal(PromoteOutcome.Finished, await store.PromoteAsync("c", T0, Ct));
        Assert.Equal(JobState.Canceled, (await GetAsync(store, "c")).State);
        Assert.Empty(await store.ClaimAsync(Claim(), T0.AddMinutes(10), Ct));
    }
}
