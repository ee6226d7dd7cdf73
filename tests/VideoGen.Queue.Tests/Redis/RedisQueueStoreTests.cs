namespace VideoGen.Queue.Tests.Redis;

/// <summary>Redis-specific checks of the store's transitions (the shared rules live in the conformance suite).</summary>
public sealed class RedisQueueStoreTests(RedisServerFixture redis) : RedisStoreTestBase(redis)
{
    [Fact]
    public async Task Enqueue_SameIdTwice_IsOneJob()
    {
        var store = NewStore();
        Assert.Equal(EnqueueOutcome.Created, await store.EnqueueAsync(Job("a"), Time.GetUtcNow(), Ct));
        Assert.Equal(EnqueueOutcome.AlreadyExists, await store.EnqueueAsync(Job("a"), Time.GetUtcNow(), Ct));
        Assert.Equal(1, await store.EnqueueManyAsync([Job("a"), Job("b")], Time.GetUtcNow(), Ct));
        var counts = await store.CountsAsync(Ct);
        Assert.Equal(2, counts[JobState.Waiting]);
    }

    [Fact]
    public async Task EnqueueMany_WithAnIdTwiceInOneBatch_CreatesItOnce()
    {
        var store = NewStore();
        Assert.Equal(2, await store.EnqueueManyAsync([Job("a", group: "g"), Job("b", group: "g"), Job("a", group: "g")], Time.GetUtcNow(), Ct));
        Assert.Equal(["a", "b"], (await ClaimAsync(store, 5)).Select(j => j.Id));
    }

    [Theory]
    [InlineData("user|1=x", "host|7=w")]
    [InlineData("", "")]
    [InlineData("=", "|")]
    public async Task HotFields_WithSeparatorsInGroupAndWorkerId_SurviveClaimAndComplete(string group, string worker)
    {
        var store = NewStore();
        await store.EnqueueAsync(Job("a", priority: 3, group: group), Time.GetUtcNow(), Ct);

        var claimed = Assert.Single(await ClaimAsync(store, 1, worker));
        var active = (await store.GetAsync("a", Ct))!;
        Assert.Equal((group, 3, 1), (claimed.Group, claimed.Priority, claimed.Attempt));
        Assert.Equal((JobState.Active, group, worker, 1), (active.State, active.Group, active.WorkerId, active.Attempt));

        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken, "done")], Time.GetUtcNow(), Ct));
        var done = (await store.GetAsync("a", Ct))!;
        Assert.Equal((JobState.Completed, group, "done", 1), (done.State, done.Group, done.Result, done.Attempt));
    }

    [Fact]
    public async Task Trim_ForgetsGroupsThatFellBehindTheServedTurn_WithoutChangingOrder()
    {
        var store = NewStore();
        await store.EnqueueManyAsync([Job("old-1", group: "old"), Job("x-1", group: "x"), Job("x-2", group: "x"), Job("x-3", group: "x")], Time.GetUtcNow(), Ct);
        Assert.Equal(4, (await ClaimAsync(store, 4)).Count);
        await store.TrimAsync(new RetentionPolicy(), Time.GetUtcNow(), Ct);
        var glast = await Redis.Factory.Connection.GetDatabase().HashKeysAsync(store.KeyTag + "glast");
        Assert.Equal(["g:0:x", "v:0"], glast.Select(k => (string)k!).Order(StringComparer.Ordinal));

        await store.EnqueueManyAsync([Job("x-4", group: "x"), Job("old-2", group: "old")], Time.GetUtcNow(), Ct);
        Assert.Equal(["old-2", "x-4"], (await ClaimAsync(store, 2)).Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_OrdersByPriorityThenGroupTurnsThenFifo()
    {
        var store = NewStore();
        await store.EnqueueManyAsync(
            [Job("a1", group: "A"), Job("a2", group: "A"), Job("a3", group: "A"), Job("b1", group: "B"), Job("b2", group: "B"), Job("hi", priority: 5, group: "A")],
            Time.GetUtcNow(),
            Ct);
        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            order.AddRange((await ClaimAsync(store, 1)).Select(j => j.Id));
        }

        Assert.Equal(["hi", "a1", "b1", "a2", "b2", "a3"], order);
    }

    [Fact]
    public async Task Claim_LateSmallGroup_IsServedInTheNextTurn()
    {
        var store = NewStore();
        await store.EnqueueManyAsync(Enumerable.Range(1, 50).Select(i => Job($"big{i}", group: "big")).ToList(), Time.GetUtcNow(), Ct);
        Assert.Equal(["big1", "big2"], (await ClaimAsync(store, 2)).Select(j => j.Id));
        await store.EnqueueAsync(Job("small", group: "small"), Time.GetUtcNow(), Ct);
        Assert.Equal(["small", "big3"], (await ClaimAsync(store, 2)).Select(j => j.Id));
    }

    [Fact]
    public async Task Complete_WithStaleLeaseToken_IsRefused()
    {
        var store = NewStore();
        await store.EnqueueAsync(Job("a"), Time.GetUtcNow(), Ct);
        var claimed = Assert.Single(await ClaimAsync(store, 1));
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", "wrong")], Time.GetUtcNow(), Ct));
        Assert.Equal(JobState.Active, (await store.GetAsync("a", Ct))!.State);
        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken, "ok")], Time.GetUtcNow(), Ct));
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken, "again")], Time.GetUtcNow(), Ct));
        var info = await store.GetAsync("a", Ct);
        Assert.Equal(JobState.Completed, info!.State);
        Assert.Equal("ok", info.Result);
    }

    [Fact]
    public async Task CompleteAndClaim_FinishesAndLeasesTheNextInOneCall()
    {
        var store = NewStore();
        await store.EnqueueManyAsync([Job("a"), Job("b"), Job("c")], Time.GetUtcNow(), Ct);
        var first = Assert.Single(await ClaimAsync(store, 1));
        var result = await store.CompleteAndClaimAsync([new JobCompletion(first.Id, first.LeaseToken)], new ClaimRequest("w1", 2, Lease), Time.GetUtcNow(), Ct);
        Assert.Equal([true], result.Completed);
        Assert.Equal(["b", "c"], result.Claimed.Select(j => j.Id));
        Assert.All(result.Claimed, j => Assert.Equal(1, j.Attempt));
        Assert.Equal(Time.GetUtcNow() + Lease, result.Claimed[0].LeaseExpiresAt);
    }

    [Fact]
    public async Task BatchesLargerThanOneScriptCall_AreSplit_AndAllApplied()
    {
        var store = NewStore();
        Assert.Equal(2500, await store.EnqueueManyAsync(Enumerable.Range(0, 2500).Select(i => Job($"j{i}")).ToList(), Time.GetUtcNow(), Ct));
        var claimed = new List<ClaimedJob>();
        for (var i = 0; i < 3; i++)
        {
            claimed.AddRange(await ClaimAsync(store, 2500));
        }

        Assert.Equal(2500, claimed.Count);
        var renewal = await store.ExtendLeasesAsync("w1", claimed.Select(c => new LeaseRef(c.Id, c.LeaseToken)).ToList(), Lease, Time.GetUtcNow(), Ct);
        Assert.Empty(renewal.Lost);
        var result = await store.CompleteAndClaimAsync(claimed.Select(c => new JobCompletion(c.Id, c.LeaseToken)).ToList(), new ClaimRequest("w1", 10, Lease), Time.GetUtcNow(), Ct);
        Assert.Equal(2500, result.Completed.Count(ok => ok));
        Assert.Empty(result.Claimed);
        Assert.Equal(2500, (await store.CountsAsync(Ct))[JobState.Completed]);
    }

    [Fact]
    public async Task ExtendLeases_ReportsLostLeasesAndCancelRequests()
    {
        var store = NewStore();
        await store.EnqueueManyAsync([Job("a"), Job("b")], Time.GetUtcNow(), Ct);
        var jobs = await ClaimAsync(store, 2);
        Assert.Equal(CancelOutcome.CancelRequested, await store.CancelAsync("b", "user", Time.GetUtcNow(), Ct));
        Time.Advance(TimeSpan.FromSeconds(10));
        var renewal = await store.ExtendLeasesAsync("w1", [new LeaseRef("a", jobs[0].LeaseToken), new LeaseRef("b", jobs[1].LeaseToken), new LeaseRef("x", "nope")], Lease, Time.GetUtcNow(), Ct);
        Assert.Equal(["x"], renewal.Lost);
        Assert.Equal(["b"], renewal.CancelRequested);
        Assert.Equal(Time.GetUtcNow() + Lease, (await store.GetAsync("a", Ct))!.LeaseExpiresAt);
        Assert.True(await store.MarkCanceledAsync(new LeaseRef("b", jobs[1].LeaseToken), "user", Time.GetUtcNow(), Ct));
        Assert.Equal(JobState.Canceled, (await store.GetAsync("b", Ct))!.State);
    }

    [Fact]
    public async Task RecoverExpired_ReturnsJobWithAttemptsLeft_FailsJobOnItsLastAttempt()
    {
        var store = NewStore();
        await store.EnqueueManyAsync([Job("a", maxAttempts: 2), Job("b", maxAttempts: 1)], Time.GetUtcNow(), Ct);
        var jobs = await ClaimAsync(store, 2);
        Time.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await store.RecoverExpiredAsync(Time.GetUtcNow(), Ct));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await store.RecoverExpiredAsync(Time.GetUtcNow(), Ct));
        Assert.Equal(JobState.Waiting, (await store.GetAsync("a", Ct))!.State);
        Assert.Equal(JobState.Failed, (await store.GetAsync("b", Ct))!.State);
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", jobs[0].LeaseToken)], Time.GetUtcNow(), Ct));
        var again = Assert.Single(await ClaimAsync(store, 5));
        Assert.Equal(("a", 2), (again.Id, again.Attempt));
    }

    [Fact]
    public async Task Fail_Retryable_WaitsUntilRetryTime_ThenFailsForGood()
    {
        var store = NewStore();
        await store.EnqueueAsync(Job("a", maxAttempts: 2), Time.GetUtcNow(), Ct);
        var first = Assert.Single(await ClaimAsync(store, 1));
        var retryAt = Time.GetUtcNow() + TimeSpan.FromSeconds(5);
        Assert.Equal(FailOutcome.Retrying, await store.FailAsync(new JobFailure("a", first.LeaseToken, "boom", true, retryAt), Time.GetUtcNow(), Ct));
        Assert.Equal(FailOutcome.StaleLease, await store.FailAsync(new JobFailure("a", first.LeaseToken, "boom", true, retryAt), Time.GetUtcNow(), Ct));
        Assert.Equal(retryAt, await store.NextDueAsync(Ct));
        Time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.Empty(await ClaimAsync(store, 1));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var second = Assert.Single(await ClaimAsync(store, 1));
        Assert.Equal(2, second.Attempt);
        Assert.Equal(FailOutcome.Failed, await store.FailAsync(new JobFailure("a", second.LeaseToken, "boom2", true, Time.GetUtcNow()), Time.GetUtcNow(), Ct));
        var info = await store.GetAsync("a", Ct);
        Assert.Equal((JobState.Failed, "boom2"), (info!.State, info.Error));
        Assert.True(await store.RetryAsync("a", Time.GetUtcNow(), Ct));
        Assert.Equal(1, Assert.Single(await ClaimAsync(store, 1)).Attempt);
    }

    [Fact]
    public async Task Release_GivesAttemptBack_AndKeepsPlaceInLine()
    {
        var store = NewStore();
        await store.EnqueueManyAsync([Job("a"), Job("b")], Time.GetUtcNow(), Ct);
        var a = (await ClaimAsync(store, 1))[0];
        Assert.True(await store.ReleaseAsync(new LeaseRef("a", a.LeaseToken), Time.GetUtcNow(), Time.GetUtcNow(), Ct));
        var again = (await ClaimAsync(store, 1))[0];
        Assert.Equal(("a", 1), (again.Id, again.Attempt));
    }

    [Fact]
    public async Task Limits_GlobalConcurrencyRateAndPerGroup_AreHonoured()
    {
        var store = NewStore();
        await store.EnqueueManyAsync(Enumerable.Range(1, 6).Select(i => Job($"a{i}", group: "A")).Append(Job("b1", group: "B")).ToList(), Time.GetUtcNow(), Ct);
        await store.SetLimitsAsync(new QueueLimits { MaxActivePerGroup = 2 }, Ct);
        Assert.Equal(["a1", "b1", "a2"], (await ClaimAsync(store, 10)).Select(j => j.Id));

        await store.SetLimitsAsync(new QueueLimits { GlobalConcurrency = 4 }, Ct);
        Assert.Equal(["a3"], (await ClaimAsync(store, 10)).Select(j => j.Id));

        await store.SetLimitsAsync(new QueueLimits { RateLimit = 1, RateWindow = TimeSpan.FromSeconds(1) }, Ct);
        Assert.Single(await ClaimAsync(store, 10));
        Assert.Empty(await ClaimAsync(store, 10));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(1), await store.NextDueAsync(Ct));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await ClaimAsync(store, 10));
    }

    [Fact]
    public async Task Pause_StopsClaims_ResumeAllowsThem()
    {
        var store = NewStore();
        await store.EnqueueAsync(Job("a"), Time.GetUtcNow(), Ct);
        await store.PauseAsync(Ct);
        Assert.True(await store.IsPausedAsync(Ct));
        Assert.Empty(await ClaimAsync(store, 1));
        await store.ResumeAsync(Ct);
        Assert.False(await store.IsPausedAsync(Ct));
        Assert.Single(await ClaimAsync(store, 1));
    }

    [Fact]
    public async Task DelayedJob_IsNotClaimedBeforeItsRunAt()
    {
        var store = NewStore();
        var runAt = Time.GetUtcNow() + TimeSpan.FromMinutes(1);
        await store.EnqueueAsync(Job("a") with { RunAt = runAt }, Time.GetUtcNow(), Ct);
        Assert.Equal(JobState.Delayed, (await store.GetAsync("a", Ct))!.State);
        Assert.Empty(await ClaimAsync(store, 1));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await ClaimAsync(store, 1));
    }

    [Fact]
    public async Task Cancel_Remove_ListAndTrim_BehaveAsDocumented()
    {
        var store = NewStore();
        await store.EnqueueManyAsync(Enumerable.Range(1, 5).Select(i => Job($"j{i}")).ToList(), Time.GetUtcNow(), Ct);
        Assert.Equal(CancelOutcome.Canceled, await store.CancelAsync("j5", "no", Time.GetUtcNow(), Ct));
        Assert.Equal(CancelOutcome.AlreadyFinished, await store.CancelAsync("j5", "no", Time.GetUtcNow(), Ct));
        Assert.Equal(CancelOutcome.NotFound, await store.CancelAsync("nope", "no", Time.GetUtcNow(), Ct));
        Assert.True(await store.RemoveAsync("j4", Ct));
        Assert.False(await store.RemoveAsync("j4", Ct));

        var page1 = await store.ListAsync(JobState.Waiting, null, 2, Ct);
        Assert.Equal(["j1", "j2"], page1.Jobs.Select(j => j.Id));
        var page2 = await store.ListAsync(JobState.Waiting, page1.NextCursor, 2, Ct);
        Assert.Equal(["j3"], page2.Jobs.Select(j => j.Id));
        Assert.Null(page2.NextCursor);

        foreach (var job in await ClaimAsync(store, 3))
        {
            await store.CompleteAsync([new JobCompletion(job.Id, job.LeaseToken)], Time.GetUtcNow(), Ct);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, await store.TrimAsync(new RetentionPolicy { MaxCount = 2, MaxAge = TimeSpan.FromDays(1) }, Time.GetUtcNow(), Ct));
        Assert.Null(await store.GetAsync("j1", Ct));
        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(3, await store.TrimAsync(new RetentionPolicy { MaxCount = 10, MaxAge = TimeSpan.FromHours(1) }, Time.GetUtcNow(), Ct));
        var counts = await store.CountsAsync(Ct);
        Assert.All(counts.Values, c => Assert.Equal(0, c));
    }
}
