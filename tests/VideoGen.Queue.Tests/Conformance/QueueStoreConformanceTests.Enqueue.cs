namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Enqueue_SameIdTwice_CreatesOneJobAndKeepsTheFirst()
    {
        var store = await NewStoreAsync();

        var first = await store.EnqueueAsync(Job("a", payload: "first"), T0, Ct);
        var second = await store.EnqueueAsync(Job("a", payload: "second", priority: 9), T0.AddSeconds(1), Ct);

        Assert.Equal(EnqueueOutcome.Created, first);
        Assert.Equal(EnqueueOutcome.AlreadyExists, second);
        var job = await GetAsync(store, "a");
        Assert.Equal("first", job.Payload);
        Assert.Equal(0, job.Priority);
        Assert.Equal(1, (await store.CountsAsync(Ct))[JobState.Waiting]);
    }

    [Fact]
    public async Task Enqueue_IdOfFinishedJob_IsStillANoOp()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);
        await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken)], T0, Ct);

        var again = await store.EnqueueAsync(Job("a"), T0.AddSeconds(1), Ct);

        Assert.Equal(EnqueueOutcome.AlreadyExists, again);
        Assert.Equal(JobState.Completed, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task EnqueueMany_SkipsExistingIdsAndCountsCreated()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("b"), T0, Ct);

        var created = await store.EnqueueManyAsync([Job("a"), Job("b"), Job("c"), Job("a")], T0, Ct);

        Assert.Equal(2, created);
        Assert.Equal(3, (await store.CountsAsync(Ct))[JobState.Waiting]);
    }

    [Fact]
    public async Task Enqueue_ThenGet_ReturnsTheRequestAsAWaitingJob()
    {
        var store = await NewStoreAsync();

        await store.EnqueueAsync(Job("a", priority: 7, group: "user-1", maxAttempts: 5, payload: "{\"x\":1}"), T0, Ct);

        var job = await GetAsync(store, "a");
        Assert.Equal("a", job.Id);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal("{\"x\":1}", job.Payload);
        Assert.Equal(7, job.Priority);
        Assert.Equal("user-1", job.Group);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(5, job.MaxAttempts);
        Assert.Equal(T0, job.CreatedAt);
        Assert.Equal(T0, job.RunAt);
        Assert.Null(job.StartedAt);
        Assert.Null(job.FinishedAt);
        Assert.Null(await store.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DelayedJob_IsNotClaimedBeforeRunAt()
    {
        var store = await NewStoreAsync();
        var runAt = T0.AddSeconds(10);
        await store.EnqueueAsync(Job("later", runAt: runAt), T0, Ct);

        var early = await store.ClaimAsync(Claim(), runAt.AddMilliseconds(-1), Ct);
        var job = await GetAsync(store, "later");
        var due = await store.ClaimAsync(Claim(), runAt, Ct);

        Assert.Empty(early);
        Assert.Equal(JobState.Delayed, job.State);
        Assert.Equal(runAt, job.RunAt);
        Assert.Equal("later", Assert.Single(due).Id);
    }

    [Fact]
    public async Task NextDue_IsTheEarliestDelayedRunAt()
    {
        var store = await NewStoreAsync();
        Assert.Null(await store.NextDueAsync(Ct));

        await store.EnqueueAsync(Job("a", runAt: T0.AddSeconds(10)), T0, Ct);
        await store.EnqueueAsync(Job("b", runAt: T0.AddSeconds(5)), T0, Ct);
        await store.EnqueueAsync(Job("c"), T0, Ct);

        Assert.Equal(T0.AddSeconds(5), await store.NextDueAsync(Ct));
    }
}
