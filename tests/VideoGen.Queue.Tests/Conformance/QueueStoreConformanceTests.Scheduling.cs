namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Claim_TakesHigherPriorityFirstThenFirstInFirstOut()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("low-1", priority: 0), T0, Ct);
        await store.EnqueueAsync(Job("high", priority: 10), T0, Ct);
        await store.EnqueueAsync(Job("low-2", priority: 0), T0, Ct);
        await store.EnqueueAsync(Job("mid", priority: 5), T0, Ct);

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await ClaimOneAsync(store, T0)).Id);
        }

        Assert.Equal(["high", "mid", "low-1", "low-2"], order);
    }

    [Fact]
    public async Task Claim_PriorityWinsOverFairness()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a-1", priority: 5, group: "a"), T0, Ct);
        await store.EnqueueAsync(Job("a-2", priority: 5, group: "a"), T0, Ct);
        await store.EnqueueAsync(Job("b-1", priority: 0, group: "b"), T0, Ct);

        var batch = await store.ClaimAsync(Claim(3), T0, Ct);

        Assert.Equal(["a-1", "a-2", "b-1"], batch.Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_GroupsTakeTurnsAtEqualPriority()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 10).Select(i => Job($"heavy-{i}", group: "heavy"))], T0, Ct);
        await store.EnqueueAsync(Job("light-a", group: "light-a"), T0, Ct);
        await store.EnqueueAsync(Job("light-b", group: "light-b"), T0, Ct);

        var firstThree = new List<ClaimedJob>();
        for (var i = 0; i < 3; i++)
        {
            firstThree.Add(await ClaimOneAsync(store, T0));
        }

        var fourth = await ClaimOneAsync(store, T0);

        Assert.Equal(["heavy", "light-a", "light-b"], firstThree.Select(j => j.Group).Order(StringComparer.Ordinal));
        Assert.Equal("heavy-0", firstThree.Single(j => j.Group == "heavy").Id);
        Assert.Equal("heavy-1", fourth.Id);
    }

    [Fact]
    public async Task Claim_AGroupWithOneJob_IsServedNextEvenBehindAGroupWithMany()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 50).Select(i => Job($"heavy-{i}", group: "heavy"))], T0, Ct);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"heavy-{i}", (await ClaimOneAsync(store, T0)).Id);
        }

        await store.EnqueueAsync(Job("light", group: "light"), T0.AddSeconds(1), Ct);

        Assert.Equal("light", (await ClaimOneAsync(store, T0.AddSeconds(1))).Id);
        Assert.Equal("heavy-3", (await ClaimOneAsync(store, T0.AddSeconds(1))).Id);
    }

    [Fact]
    public async Task Claim_ABatch_TakesOneJobFromEachGroupBeforeASecondFromAny()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 5).Select(i => Job($"a-{i}", group: "a"))], T0, Ct);
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 5).Select(i => Job($"b-{i}", group: "b"))], T0, Ct);
        await store.EnqueueAsync(Job("c-0", group: "c"), T0, Ct);

        var batch = await store.ClaimAsync(Claim(5), T0, Ct);

        Assert.Equal(5, batch.Count);
        Assert.Equal(["a", "b", "c"], batch.Take(3).Select(j => j.Group).Order(StringComparer.Ordinal));
        Assert.Equal(["a-0", "a-1", "b-0", "b-1", "c-0"], batch.Select(j => j.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GlobalConcurrency_CapsActiveJobsAcrossAllWorkers()
    {
        var a = await NewStoreAsync();
        var b = await OtherHandleAsync(a);
        await a.SetLimitsAsync(new QueueLimits { GlobalConcurrency = 2 }, Ct);
        await a.EnqueueManyAsync([.. Enumerable.Range(0, 5).Select(i => Job($"j{i}"))], T0, Ct);

        var first = await a.ClaimAsync(Claim(10, "wa"), T0, Ct);
        var blocked = await b.ClaimAsync(Claim(10, "wb"), T0, Ct);
        await a.CompleteAsync([new JobCompletion(first[0].Id, first[0].LeaseToken)], T0, Ct);
        var afterOne = await b.ClaimAsync(Claim(10, "wb"), T0, Ct);

        Assert.Equal(2, first.Count);
        Assert.Empty(blocked);
        Assert.Single(afterOne);
        Assert.Equal(2, (await a.CountsAsync(Ct))[JobState.Active]);
    }

    [Fact]
    public async Task RateLimit_CapsJobStartsPerWindowAcrossWorkers()
    {
        var a = await NewStoreAsync();
        var b = await OtherHandleAsync(a);
        await a.SetLimitsAsync(new QueueLimits { RateLimit = 3, RateWindow = TimeSpan.FromSeconds(1) }, Ct);
        await a.EnqueueManyAsync([.. Enumerable.Range(0, 10).Select(i => Job($"j{i}"))], T0, Ct);

        var first = await a.ClaimAsync(Claim(10, "wa"), T0, Ct);
        var sameWindow = await b.ClaimAsync(Claim(10, "wb"), T0.AddMilliseconds(500), Ct);
        var nextWindow = await b.ClaimAsync(Claim(10, "wb"), T0.AddMilliseconds(1001), Ct);

        Assert.Equal(3, first.Count);
        Assert.Empty(sameWindow);
        Assert.Equal(3, nextWindow.Count);
    }

    [Fact]
    public async Task NextDue_WhenTheRateLimitHoldsBackWaitingJobs_IsWhenTheWindowReopens()
    {
        var store = await NewStoreAsync();
        await store.SetLimitsAsync(new QueueLimits { RateLimit = 1, RateWindow = TimeSpan.FromSeconds(2) }, Ct);
        await store.EnqueueManyAsync([Job("a"), Job("b")], T0, Ct);
        await ClaimOneAsync(store, T0);

        Assert.Empty(await store.ClaimAsync(Claim(), T0.AddSeconds(1), Ct));
        Assert.Equal(T0.AddSeconds(2), await store.NextDueAsync(Ct));
    }

    [Fact]
    public async Task MaxActivePerGroup_CapsEachGroupSeparately()
    {
        var store = await NewStoreAsync();
        await store.SetLimitsAsync(new QueueLimits { MaxActivePerGroup = 1 }, Ct);
        await store.EnqueueManyAsync([Job("a-0", group: "a"), Job("a-1", group: "a"), Job("a-2", group: "a"), Job("b-0", group: "b"), Job("b-1", group: "b")], T0, Ct);

        var first = await store.ClaimAsync(Claim(10), T0, Ct);
        var none = await store.ClaimAsync(Claim(10), T0, Ct);
        var a0 = first.Single(j => j.Id == "a-0");
        await store.CompleteAsync([new JobCompletion(a0.Id, a0.LeaseToken)], T0, Ct);
        var next = await store.ClaimAsync(Claim(10), T0, Ct);

        Assert.Equal(["a-0", "b-0"], first.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.Empty(none);
        Assert.Equal("a-1", Assert.Single(next).Id);
    }

    [Fact]
    public async Task SetLimits_None_LiftsEveryLimit()
    {
        var store = await NewStoreAsync();
        await store.SetLimitsAsync(new QueueLimits { GlobalConcurrency = 1, RateLimit = 1, MaxActivePerGroup = 1 }, Ct);
        await store.SetLimitsAsync(QueueLimits.None, Ct);
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 4).Select(i => Job($"j{i}", group: "g"))], T0, Ct);

        Assert.Equal(4, (await store.ClaimAsync(Claim(10), T0, Ct)).Count);
    }
}
