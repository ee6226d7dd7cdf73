using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Pause_StopsClaimsUntilResume()
    {
        var store = await NewStoreAsync();
        var other = await OtherHandleAsync(store);
        await store.EnqueueAsync(Job("a"), T0, Ct);

        await store.PauseAsync(Ct);
        var whilePaused = await other.ClaimAsync(Claim(), T0, Ct);
        var pausedSeenByOther = await other.IsPausedAsync(Ct);
        await store.ResumeAsync(Ct);

        Assert.Empty(whilePaused);
        Assert.True(pausedSeenByOther);
        Assert.False(await store.IsPausedAsync(Ct));
        Assert.Equal("a", (await ClaimOneAsync(other, T0)).Id);
    }

    [Fact]
    public async Task Resume_WakesAnIdleWorker()
    {
        var store = await NewStoreAsync();
        await store.PauseAsync(Ct);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartWorkerAsync(store, new DelegateHandler((_, _) => { ran.TrySetResult(); return Task.FromResult<string?>(null); }), TimeProvider.System, Options(o => o.IdleWaitCeiling = TimeSpan.FromSeconds(30)));
        await store.EnqueueAsync(Job("a"), TimeProvider.System.GetUtcNow(), Ct);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, "a")).State);

        await store.ResumeAsync(Ct);

        await Eventually.CompletesAsync(ran.Task, "the resumed queue's job to run", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Trim_RemovesTheOldestFinishedJobsBeyondCountAndAge()
    {
        var store = await NewStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            var at = T0.AddSeconds(i);
            await store.EnqueueAsync(Job($"done-{i}"), at, Ct);
            var claimed = await ClaimOneAsync(store, at);
            await store.CompleteAsync([new JobCompletion(claimed.Id, claimed.LeaseToken)], at, Ct);
        }

        await store.EnqueueManyAsync([Job("c-0"), Job("c-1"), Job("c-2"), Job("waiting")], T0, Ct);
        foreach (var id in new[] { "c-0", "c-1", "c-2" })
        {
            await store.CancelAsync(id, "x", T0, Ct);
        }

        var byCount = await store.TrimAsync(new RetentionPolicy { MaxCount = 2, MaxAge = TimeSpan.FromDays(7) }, T0.AddSeconds(5), Ct);
        var byAge = await store.TrimAsync(new RetentionPolicy { MaxCount = 100, MaxAge = TimeSpan.FromSeconds(1.5) }, T0.AddSeconds(5), Ct);

        Assert.Equal(3 + 1, byCount);
        Assert.Equal(1 + 2, byAge);
        Assert.Null(await store.GetAsync("done-3", Ct));
        Assert.NotNull(await store.GetAsync("done-4", Ct));
        Assert.NotNull(await store.GetAsync("waiting", Ct));
        var counts = await store.CountsAsync(Ct);
        Assert.Equal(1, counts[JobState.Completed]);
        Assert.Equal(0, counts[JobState.Canceled]);
        Assert.Equal(1, counts[JobState.Waiting]);
    }

    [Fact]
    public async Task List_PagesThroughJobsOfOneStateInEnqueueOrder()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 25).Select(i => Job($"j{i:00}"))], T0, Ct);
        await store.EnqueueAsync(Job("delayed", runAt: T0.AddHours(1)), T0, Ct);

        var pages = new List<JobPage>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(JobState.Waiting, cursor, 10, Ct);
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Jobs.Count));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"j{i:00}"), pages.SelectMany(p => p.Jobs).Select(j => j.Id));
        Assert.All(pages.SelectMany(p => p.Jobs), j => Assert.Equal(JobState.Waiting, j.State));
        Assert.Equal(["delayed"], (await store.ListAsync(JobState.Delayed, null, 10, Ct)).Jobs.Select(j => j.Id));
        var empty = await store.ListAsync(JobState.Failed, null, 10, Ct);
        Assert.Empty(empty.Jobs);
        Assert.Null(empty.NextCursor);
    }

    [Fact]
    public async Task Counts_ReportEveryState()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([Job("a"), Job("b"), Job("c"), Job("d"), Job("e")], T0, Ct);
        await store.EnqueueAsync(Job("f", runAt: T0.AddHours(1)), T0, Ct);
        var claimed = (await store.ClaimAsync(Claim(3), T0, Ct)).ToDictionary(j => j.Id);
        await store.CompleteAsync([new JobCompletion("a", claimed["a"].LeaseToken)], T0, Ct);
        await store.FailAsync(new JobFailure("b", claimed["b"].LeaseToken, "x", Retryable: false, T0), T0, Ct);
        await store.CancelAsync("d", "x", T0, Ct);

        var counts = await store.CountsAsync(Ct);

        Assert.Equal(JobStates.All.Count, counts.Count);
        Assert.Equal(1, counts[JobState.Waiting]);
        Assert.Equal(1, counts[JobState.Delayed]);
        Assert.Equal(1, counts[JobState.Active]);
        Assert.Equal(1, counts[JobState.Completed]);
        Assert.Equal(1, counts[JobState.Failed]);
        Assert.Equal(1, counts[JobState.Canceled]);
    }

    [Fact]
    public async Task Retry_FailedJob_RunsAgainWithAFreshSetOfAttempts()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 1), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        await store.FailAsync(new JobFailure("a", claimed.LeaseToken, "x", Retryable: true, T0), T0, Ct);
        Assert.Equal(JobState.Failed, (await GetAsync(store, "a")).State);

        Assert.True(await store.RetryAsync("a", T0.AddSeconds(1), Ct));
        Assert.False(await store.RetryAsync("a", T0.AddSeconds(1), Ct));

        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(1, (await ClaimOneAsync(store, T0.AddSeconds(1))).Attempt);
        Assert.False(await store.RetryAsync("missing", T0, Ct));
    }

    [Fact]
    public async Task Remove_DeletesAnInactiveJobButNeverAnActiveOne()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([Job("active"), Job("waiting")], T0, Ct);
        await ClaimOneAsync(store, T0);

        Assert.True(await store.RemoveAsync("waiting", Ct));
        Assert.False(await store.RemoveAsync("active", Ct));
        Assert.False(await store.RemoveAsync("missing", Ct));

        Assert.Null(await store.GetAsync("waiting", Ct));
        Assert.Equal(JobState.Active, (await GetAsync(store, "active")).State);
        Assert.Equal(EnqueueOutcome.Created, await store.EnqueueAsync(Job("waiting"), T0, Ct));
    }

    [Fact]
    public async Task JobQueue_UsesItsClockForEveryCall()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var queue = new JobQueue(await NewStoreAsync(), time);

        await queue.EnqueueAsync(Job("a", runAt: T0.AddSeconds(1)), Ct);
        time.Advance(TimeSpan.FromSeconds(2));
        await queue.EnqueueAsync(Job("b"), Ct);

        Assert.Equal(T0, (await queue.GetAsync("a", Ct))!.CreatedAt);
        Assert.Equal(T0.AddSeconds(2), (await queue.GetAsync("b", Ct))!.CreatedAt);
        Assert.Equal(CancelOutcome.Canceled, await queue.CancelAsync("b", "x", Ct));
        Assert.Equal(T0.AddSeconds(2), (await queue.GetAsync("b", Ct))!.FinishedAt);
        Assert.True(await queue.RetryAsync("b", Ct));
        Assert.Equal(2, (await queue.CountsAsync(Ct))[JobState.Waiting] + (await queue.CountsAsync(Ct))[JobState.Delayed]);
    }
}
