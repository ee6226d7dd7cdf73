using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task FailingJob_RetriesAfterItsBackoffDelaysThenEndsFailed()
    {
        var time = new FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        var starts = new List<(int Attempt, DateTimeOffset At)>();
        await StartWorkerAsync(store, new DelegateHandler((job, _) =>
        {
            lock (starts)
            {
                starts.Add((job.Attempt, time.GetUtcNow()));
            }

            throw new InvalidOperationException($"boom {job.Attempt}");
        }), time, Options());
        var backoff = new BackoffPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), Jitter: 0);

        await store.EnqueueAsync(Job("flaky", maxAttempts: 3, backoff: backoff), T0, Ct);

        await Eventually.TrueAsync(async () => await GetAsync(store, "flaky") is { State: JobState.Delayed, Attempt: 1 }, "attempt 1 to fail and wait for its retry");
        var afterFirst = await GetAsync(store, "flaky");
        Assert.Equal(T0.AddSeconds(10), afterFirst.RunAt);
        Assert.Contains("boom 1", afterFirst.Error, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => await GetAsync(store, "flaky") is { State: JobState.Delayed, Attempt: 2 }, "attempt 2 to fail and wait for its retry");
        Assert.Equal(T0.AddSeconds(30), (await GetAsync(store, "flaky")).RunAt);

        time.Advance(TimeSpan.FromSeconds(20));
        await WaitForStateAsync(store, "flaky", JobState.Failed);
        var failed = await GetAsync(store, "flaky");
        Assert.Equal(3, failed.Attempt);
        Assert.Contains("boom 3", failed.Error, StringComparison.Ordinal);
        Assert.Equal([(1, T0), (2, T0.AddSeconds(10)), (3, T0.AddSeconds(30))], starts);
    }

    [Fact]
    public async Task Fail_Retryable_WaitsUntilRetryAtThenRunsTheNextAttempt()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 2), T0, Ct);
        var first = await ClaimOneAsync(store, T0);

        var outcome = await store.FailAsync(new JobFailure("a", first.LeaseToken, "transient", Retryable: true, T0.AddSeconds(5)), T0, Ct);

        Assert.Equal(FailOutcome.Retrying, outcome);
        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Delayed, job.State);
        Assert.Equal(T0.AddSeconds(5), job.RunAt);
        Assert.Equal("transient", job.Error);
        Assert.Empty(await store.ClaimAsync(Claim(), T0.AddSeconds(4), Ct));
        var second = await ClaimOneAsync(store, T0.AddSeconds(5));
        Assert.Equal(2, second.Attempt);
        Assert.Equal(FailOutcome.Failed, await store.FailAsync(new JobFailure("a", second.LeaseToken, "again", Retryable: true, T0.AddSeconds(10)), T0.AddSeconds(5), Ct));
        Assert.Equal(JobState.Failed, (await GetAsync(store, "a")).State);
    }

    [Fact]
    public async Task Fail_NotRetryable_FailsAtOnceWithAttemptsLeft()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 5), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);

        var outcome = await store.FailAsync(new JobFailure("a", claimed.LeaseToken, "content policy", Retryable: false, T0), T0, Ct);

        Assert.Equal(FailOutcome.Failed, outcome);
        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal("content policy", job.Error);
        Assert.Equal(T0, job.FinishedAt);
    }

    [Fact]
    public async Task PermanentJobException_FailsTheJobWithoutRetrying()
    {
        var store = await NewStoreAsync();
        var calls = 0;
        await StartWorkerAsync(store, new DelegateHandler((_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new PermanentJobException("prompt rejected");
        }), TimeProvider.System, Options());

        await store.EnqueueAsync(Job("a", maxAttempts: 5), TimeProvider.System.GetUtcNow(), Ct);

        await WaitForStateAsync(store, "a", JobState.Failed);
        var job = await GetAsync(store, "a");
        Assert.Equal("prompt rejected", job.Error);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task RetryAfterException_RunsTheJobAgainLaterWithoutBurningAnAttempt()
    {
        var time = new FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        var starts = new List<(int Attempt, DateTimeOffset At)>();
        await StartWorkerAsync(store, new DelegateHandler((job, _) =>
        {
            int call;
            lock (starts)
            {
                starts.Add((job.Attempt, time.GetUtcNow()));
                call = starts.Count;
            }

            return call == 1 ? throw new RetryAfterException(TimeSpan.FromSeconds(5), "429 from provider") : Task.FromResult<string?>("ok");
        }), time, Options());

        await store.EnqueueAsync(Job("a", maxAttempts: 1), T0, Ct);

        await Eventually.TrueAsync(async () => await GetAsync(store, "a") is { State: JobState.Delayed, Attempt: 0 }, "the job to be held back without its attempt");
        Assert.Equal(T0.AddSeconds(5), (await GetAsync(store, "a")).RunAt);
        time.Advance(TimeSpan.FromSeconds(5));
        await WaitForStateAsync(store, "a", JobState.Completed);
        Assert.Equal([(1, T0), (1, T0.AddSeconds(5))], starts);
        Assert.Equal("ok", (await GetAsync(store, "a")).Result);
    }

    [Fact]
    public async Task Release_GivesTheAttemptBackAndRunsAtTheGivenTime()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(Job("a", maxAttempts: 1), T0, Ct);
        var claimed = await ClaimOneAsync(store, T0);

        Assert.True(await store.ReleaseAsync(new LeaseRef("a", claimed.LeaseToken), T0.AddSeconds(3), T0, Ct));

        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Delayed, job.State);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(T0.AddSeconds(3), job.RunAt);
        Assert.Empty(await store.ClaimAsync(Claim(), T0.AddSeconds(2), Ct));
        Assert.Equal(1, (await ClaimOneAsync(store, T0.AddSeconds(3))).Attempt);
    }

    [Fact]
    public async Task Handler_Returning_CompletesTheJobWithItsResult()
    {
        var store = await NewStoreAsync();
        await StartWorkerAsync(store, new DelegateHandler((job, _) => Task.FromResult<string?>("result:" + job.Payload)), TimeProvider.System, Options());

        await store.EnqueueAsync(Job("a", payload: "x"), TimeProvider.System.GetUtcNow(), Ct);

        await WaitForStateAsync(store, "a", JobState.Completed);
        var job = await GetAsync(store, "a");
        Assert.Equal("result:x", job.Result);
        Assert.Equal(1, job.Attempt);
        Assert.Null(job.LeaseExpiresAt);
    }
}
