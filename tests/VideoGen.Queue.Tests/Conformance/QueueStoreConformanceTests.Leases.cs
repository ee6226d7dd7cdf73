using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Claim_LeasesTheJobWithATokenAndStartsAnAttempt()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", payload: "p", group: "g", priority: 2, maxAttempts: 4), T0, Ct);

        var claimed = await ClaimOneAsync(store, T0, worker: "w-7", lease: TimeSpan.FromSeconds(20));

        Assert.Equal("a", claimed.Id);
        Assert.False(string.IsNullOrWhiteSpace(claimed.LeaseToken));
        Assert.Equal(T0.AddSeconds(20), claimed.LeaseExpiresAt);
        Assert.Equal(1, claimed.Attempt);
        Assert.Equal(4, claimed.MaxAttempts);
        Assert.Equal("p", claimed.Payload);
        Assert.Equal("g", claimed.Group);
        Assert.Equal(2, claimed.Priority);
        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal("w-7", job.WorkerId);
        Assert.Equal(T0.AddSeconds(20), job.LeaseExpiresAt);
        Assert.Equal(T0, job.StartedAt);
        Assert.Equal(1, job.Attempt);
        Assert.Empty(await store.ClaimAsync(Claim(), T0, Ct));
    }

    [Fact]
    public async Task Claim_TwoWorkersRacingForOneJob_OnlyOneGetsIt()
    {
        var a = await NewStoreAsync();
        var b = await OtherHandleAsync(a);
        for (var i = 0; i < 40; i++)
        {
            var id = $"race-{i}";
            await a.EnqueueAsync(Job(id), T0, Ct);
            using var start = new ManualResetEventSlim();
            var ta = Task.Run(async () => { start.Wait(Ct); return await a.ClaimAsync(Claim(5, "wa"), T0, Ct); });
            var tb = Task.Run(async () => { start.Wait(Ct); return await b.ClaimAsync(Claim(5, "wb"), T0, Ct); });
            start.Set();
            var results = await Task.WhenAll(ta, tb);

            var winners = results.SelectMany(r => r).ToList();
            Assert.Equal(id, Assert.Single(winners).Id);
            await a.CompleteAsync([new JobCompletion(id, winners[0].LeaseToken)], T0, Ct);
        }
    }

    [Fact]
    public async Task Complete_WithStaleLeaseToken_IsRefused()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);

        var result = await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken + "x")], T0, Ct);

        Assert.Equal([false], result);
        Assert.Equal(JobState.Active, (await GetAsync(store, "a")).State);
        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken, "r")], T0, Ct));
        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal("r", job.Result);
        Assert.Equal(T0, job.FinishedAt);
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", claimed.LeaseToken)], T0, Ct));
    }

    [Fact]
    public async Task Fail_WithStaleLeaseToken_IsRefused()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        await ClaimOneAsync(store, T0);

        var outcome = await store.FailAsync(new JobFailure("a", "not-the-token", "boom", Retryable: false, T0), T0, Ct);

        Assert.Equal(FailOutcome.StaleLease, outcome);
        Assert.Equal(JobState.Active, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task ReportProgress_WithStaleLeaseToken_IsRefused()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);

        var stale = await store.ReportProgressAsync(new LeaseRef("a", "not-the-token"), "{\"p\":1}", T0, Ct);
        var fresh = await store.ReportProgressAsync(new LeaseRef("a", claimed.LeaseToken), "{\"p\":2}", T0, Ct);

        Assert.False(stale);
        Assert.True(fresh);
        Assert.Equal("{\"p\":2}", (await GetAsync(store, "a")).Progress);
    }

    [Fact]
    public async Task Release_WithStaleLeaseToken_IsRefused()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        await ClaimOneAsync(store, T0);

        var released = await store.ReleaseAsync(new LeaseRef("a", "not-the-token"), T0, T0, Ct);
        var canceled = await store.MarkCanceledAsync(new LeaseRef("a", "not-the-token"), "x", T0, Ct);

        Assert.False(released);
        Assert.False(canceled);
        Assert.Equal(JobState.Active, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task ExpiredLease_IsRecoveredAfterTheLeaseAndTheOldHolderCannotFinish()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var old = await ClaimOneAsync(store, T0, worker: "dead", lease: TimeSpan.FromSeconds(10));

        var beforeExpiry = await store.RecoverExpiredAsync(T0.AddSeconds(9), Ct);
        var afterExpiry = await store.RecoverExpiredAsync(T0.AddSeconds(10).AddMilliseconds(1), Ct);

        Assert.Equal(0, beforeExpiry);
        Assert.Equal(1, afterExpiry);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, "a")).State);
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", old.LeaseToken)], T0.AddSeconds(11), Ct));
        Assert.Equal(FailOutcome.StaleLease, await store.FailAsync(new JobFailure("a", old.LeaseToken, "late", true, T0), T0.AddSeconds(11), Ct));
        var again = await ClaimOneAsync(store, T0.AddSeconds(11), worker: "alive");
        Assert.Equal(2, again.Attempt);
        Assert.NotEqual(old.LeaseToken, again.LeaseToken);
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", old.LeaseToken)], T0.AddSeconds(12), Ct));
        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", again.LeaseToken)], T0.AddSeconds(12), Ct));
    }

    [Fact]
    public async Task ExpiredLease_WithNoAttemptsLeft_EndsFailed()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 1), T0, Ct);
        await ClaimOneAsync(store, T0, lease: TimeSpan.FromSeconds(10));

        Assert.Equal(1, await store.RecoverExpiredAsync(T0.AddSeconds(11), Ct));

        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Failed, job.State);
        Assert.False(string.IsNullOrEmpty(job.Error));
    }

    [Fact]
    public async Task ExtendLeases_RenewsEveryLeaseInOneCallAndReportsLostOnes()
    {
        var store = await NewStoreAsync();
        await store.EnqueueManyAsync([Job("a"), Job("b"), Job("c")], T0, Ct);
        var claimed = await store.ClaimAsync(Claim(3, lease: TimeSpan.FromSeconds(10)), T0, Ct);
        var byId = claimed.ToDictionary(j => j.Id);
        await store.CompleteAsync([new JobCompletion("c", byId["c"].LeaseToken)], T0, Ct);

        var renewal = await store.ExtendLeasesAsync("w1", [.. claimed.Select(j => new LeaseRef(j.Id, j.LeaseToken))], TimeSpan.FromSeconds(10), T0.AddSeconds(8), Ct);

        Assert.Equal(["c"], renewal.Lost);
        Assert.Empty(renewal.CancelRequested);
        Assert.Equal(T0.AddSeconds(18), (await GetAsync(store, "a")).LeaseExpiresAt);
        Assert.Equal(T0.AddSeconds(18), (await GetAsync(store, "b")).LeaseExpiresAt);
        Assert.Equal(0, await store.RecoverExpiredAsync(T0.AddSeconds(15), Ct));
    }

    [Fact]
    public async Task CrashedWorkersJob_IsRecoveredByAnotherWorkerWithinLeasePlusCheckInterval()
    {
        var time = new FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a"), T0, Ct);
        var crashed = await ClaimOneAsync(store, T0, worker: "crashed", lease: TimeSpan.FromSeconds(30));
        var attempts = new List<int>();
        var options = Options(o => { o.LeaseDuration = TimeSpan.FromSeconds(30); o.RecoveryInterval = TimeSpan.FromSeconds(5); });
        await StartWorkerAsync(store, new DelegateHandler((job, _) => { lock (attempts) { attempts.Add(job.Attempt); } return Task.FromResult<string?>("done"); }), time, options);

        time.Advance(options.LeaseDuration + options.RecoveryInterval);

        await WaitForStateAsync(store, "a", JobState.Completed);
        Assert.Equal([2], attempts);
        Assert.Equal([false], await store.CompleteAsync([new JobCompletion("a", crashed.LeaseToken)], time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task TwoWorkers_OverManyJobs_RunEachJobExactlyOnce()
    {
        var a = await NewStoreAsync();
        var b = await OtherHandleAsync(a);
        const int Jobs = 300;
        await a.EnqueueManyAsync([.. Enumerable.Range(0, Jobs).Select(i => Job($"j{i}"))], TimeProvider.System.GetUtcNow(), Ct);
        var runs = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var handler = new DelegateHandler((job, _) => { runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1); return Task.FromResult<string?>(null); });

        await StartWorkerAsync(a, handler, TimeProvider.System, Options(o => o.Concurrency = 4));
        await StartWorkerAsync(b, handler, TimeProvider.System, Options(o => o.Concurrency = 4));

        await Eventually.TrueAsync(async () => (await a.CountsAsync(Ct))[JobState.Completed] == Jobs, $"all {Jobs} jobs completed", TimeSpan.FromSeconds(60));
        Assert.Equal(Jobs, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task Heartbeat_KeepsALongJobsLeaseAliveWhileItsHandlerBlocksTheThread()
    {
        var time = new FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(o => { o.Concurrency = 1; o.LeaseDuration = TimeSpan.FromSeconds(30); o.HeartbeatInterval = TimeSpan.FromSeconds(10); });
        await StartWorkerAsync(store, new DelegateHandler((_, _) =>
        {
            started.TrySetResult();
            gate.Wait(TimeSpan.FromSeconds(60), CancellationToken.None); // blocks its thread, never awaits
            return Task.FromResult<string?>("done");
        }), time, options);
        await store.EnqueueAsync(Job("long"), T0, Ct);
        await Eventually.CompletesAsync(started.Task, "the blocking handler to start");

        for (var beat = 1; beat <= 6; beat++)
        {
            time.Advance(options.HeartbeatInterval);
            var expected = time.GetUtcNow() + options.LeaseDuration;
            await Eventually.TrueAsync(async () => (await GetAsync(store, "long")).LeaseExpiresAt == expected, $"heartbeat {beat} to renew the lease to {expected:O}");
        }

        Assert.Equal(0, await store.RecoverExpiredAsync(time.GetUtcNow(), Ct));
        gate.Set();
        await WaitForStateAsync(store, "long", JobState.Completed);
        Assert.Equal(1, (await GetAsync(store, "long")).Attempt);
    }

    [Fact]
    public async Task LostLease_CancelsTheHandlerAndTheWorkerNeverFinishesTheJob()
    {
        var time = new FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(o => o.Concurrency = 1);
        var worker = await StartWorkerAsync(store, new DelegateHandler(async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                tokenFired.TrySetResult();
            }

            return "should never be recorded";
        }), time, options);
        await store.EnqueueAsync(Job("a"), T0, Ct);
        await Eventually.CompletesAsync(started.Task, "the handler to start");

        // Another party takes the job over as if the lease had expired.
        Assert.Equal(1, await store.RecoverExpiredAsync(T0 + options.LeaseDuration + TimeSpan.FromSeconds(1), Ct));
        var thief = await ClaimOneAsync(store, T0, worker: "thief", lease: TimeSpan.FromMinutes(5));
        time.Advance(options.HeartbeatInterval);

        await Eventually.CompletesAsync(tokenFired.Task, "the heartbeat to report the lost lease and cancel the handler");
        await Eventually.TrueAsync(() => worker.RunningCount == 0, "the canceled handler to return");
        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Active, job.State);
        Assert.Equal("thief", job.WorkerId);
        Assert.Equal(2, job.Attempt);
        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", thief.LeaseToken)], time.GetUtcNow(), Ct));
    }
}
