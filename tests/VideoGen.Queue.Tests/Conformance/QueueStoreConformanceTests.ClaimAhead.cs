using System.Collections.Concurrent;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

/// <summary>
/// Claiming ahead: while handlers are short the worker leases up to Concurrency jobs beyond its free
/// slots. These tests pin what that may never change: handlers at once, attempts, cancel, stop.
/// </summary>
public abstract partial class QueueStoreConformanceTests
{
    private const int AheadConcurrency = 2;

    [Fact]
    public async Task ClaimAhead_WithShortHandlers_NeverRunsMoreThanConcurrencyHandlersAtOnce()
    {
        var store = await NewStoreAsync();
        var running = 0;
        var peak = 0;
        var peakActive = 0L;
        await StartWorkerAsync(store, new DelegateHandler(async (job, _) =>
        {
            InterlockedMax(ref peak, Interlocked.Increment(ref running));
            if (job.Id.EndsWith('0'))
            {
                // Every tenth job looks at the store: leased jobs may exceed the slots, handlers may not.
                var active = (await store.CountsAsync(Ct))[JobState.Active];
                InterlockedMax(ref peakActive, active);
            }

            Interlocked.Decrement(ref running);
            return null;
        }), TimeProvider.System, Options(o => o.Concurrency = AheadConcurrency));

        await store.EnqueueManyAsync([.. Enumerable.Range(0, 300).Select(i => Job($"j{i}"))], TimeProvider.System.GetUtcNow(), Ct);

        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Completed] == 300, "all 300 jobs to complete", TimeSpan.FromSeconds(60));
        Assert.True(Volatile.Read(ref peak) <= AheadConcurrency, $"{peak} handlers ran at once with concurrency {AheadConcurrency}");
        Assert.True(Interlocked.Read(ref peakActive) <= 2 * AheadConcurrency, $"{peakActive} jobs were leased at once; claiming ahead is bounded by concurrency");
    }

    [Fact]
    public async Task ClaimAhead_JobsWaitingForASlot_AreReleasedOnStopWithTheirAttemptIntact()
    {
        var store = await NewStoreAsync();
        var ran = new ConcurrentBag<string>();
        var blockedStarted = new CountdownEvent(AheadConcurrency);
        var worker = await StartAheadWorkerAsync(store, ran, blockedStarted, o => { o.ShutdownTimeout = TimeSpan.FromMilliseconds(200); o.LeaseDuration = TimeSpan.FromMinutes(5); });
        await FillSlotsAndBufferAsync(store, blockedStarted);

        await Eventually.CompletesAsync(worker.StopAsync(Ct), "the worker to stop");

        foreach (var id in new[] { "ahead-0", "ahead-1", "block-0", "block-1" })
        {
            var job = await GetAsync(store, id);
            Assert.Equal(JobState.Waiting, job.State);
            Assert.Equal(0, job.Attempt);
        }

        Assert.DoesNotContain("ahead-0", ran);
        Assert.DoesNotContain("ahead-1", ran);
    }

    [Fact]
    public async Task ClaimAhead_CancelOfAJobWaitingForASlot_CancelsItWithoutRunningIt()
    {
        var store = await NewStoreAsync();
        var ran = new ConcurrentBag<string>();
        var blockedStarted = new CountdownEvent(AheadConcurrency);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAheadWorkerAsync(store, ran, blockedStarted, gate: gate.Task);
        await FillSlotsAndBufferAsync(store, blockedStarted);

        Assert.Equal(CancelOutcome.CancelRequested, await store.CancelAsync("ahead-0", "user", TimeProvider.System.GetUtcNow(), Ct));

        await WaitForStateAsync(store, "ahead-0", JobState.Canceled);
        gate.SetResult();
        await WaitForStateAsync(store, "ahead-1", JobState.Completed);
        await WaitForStateAsync(store, "block-0", JobState.Completed);
        Assert.DoesNotContain("ahead-0", ran);
        Assert.Contains("ahead-1", ran);
    }

    [Fact]
    public async Task ClaimAhead_JobsWaitingTooLongBehindLongHandlers_AreGivenBackWithTheirAttemptIntact()
    {
        var store = await NewStoreAsync();
        var ran = new ConcurrentBag<string>();
        var blockedStarted = new CountdownEvent(AheadConcurrency);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartAheadWorkerAsync(store, ran, blockedStarted, o => o.ClaimAheadMaxWait = TimeSpan.FromMilliseconds(100), gate.Task);
        await using var events = await EventCollector.StartAsync(store, TimeProvider.System.GetUtcNow());
        await store.EnqueueManyAsync([Job("block-0"), Job("block-1"), Job("ahead-0"), Job("ahead-1")], TimeProvider.System.GetUtcNow(), Ct);
        Assert.True(blockedStarted.Wait(TimeSpan.FromSeconds(15), Ct), "the two blocking handlers to start");

        // Claimed ahead, then given back (not burned) so another worker can run them while these slots stay busy.
        await events.WaitForAsync("ahead-0", 3, "ahead-0 to be enqueued, claimed ahead and released");
        await events.WaitForAsync("ahead-1", 3, "ahead-1 to be enqueued, claimed ahead and released");
        Assert.Equal([JobEventKind.Enqueued, JobEventKind.Active, JobEventKind.Released], events.For("ahead-0").Take(3).Select(e => e.Kind));
        await WaitForStateAsync(store, "ahead-1", JobState.Waiting);
        Assert.Equal(0, (await GetAsync(store, "ahead-0")).Attempt);
        Assert.Equal(AheadConcurrency, (await store.CountsAsync(Ct))[JobState.Active]);
        Assert.DoesNotContain("ahead-0", ran);

        gate.SetResult();
        await WaitForStateAsync(store, "ahead-0", JobState.Completed);
        await WaitForStateAsync(store, "ahead-1", JobState.Completed);
        Assert.Equal(1, (await GetAsync(store, "ahead-0")).Attempt);
    }

    [Fact]
    public async Task ClaimAhead_WithSlowHandlers_LeasesNoMoreJobsThanSlots()
    {
        var store = await NewStoreAsync();
        var activeAtStart = new ConcurrentDictionary<string, long>();
        await StartWorkerAsync(store, new DelegateHandler(async (job, _) =>
        {
            if (job.Id.StartsWith("slow", StringComparison.Ordinal))
            {
                activeAtStart[job.Id] = (await store.CountsAsync(Ct))[JobState.Active];
                await Task.Delay(30, CancellationToken.None);
            }

            return null;
        }), TimeProvider.System, Options(o => o.Concurrency = AheadConcurrency));
        await WarmUpWithShortJobsAsync(store);

        await store.EnqueueManyAsync([.. Enumerable.Range(0, 12).Select(i => Job($"slow-{i:00}"))], TimeProvider.System.GetUtcNow(), Ct);
        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Completed] == 50 + 12, "the slow jobs to complete", TimeSpan.FromSeconds(30));

        // The first slow jobs may still have been claimed ahead; once a few finished, no more are.
        var late = activeAtStart.Where(kv => string.CompareOrdinal(kv.Key, "slow-06") >= 0).ToList();
        Assert.Equal(6, late.Count);
        Assert.All(late, kv => Assert.True(kv.Value <= AheadConcurrency, $"{kv.Key} started with {kv.Value} jobs leased"));
    }

    [Fact]
    public async Task Handler_BlockingItsThreadBeforeItsFirstAwait_DoesNotKeepOtherJobsFromStarting()
    {
        var store = await NewStoreAsync();
        using var gate = new ManualResetEventSlim();
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var others = new ConcurrentDictionary<string, bool>();
        await StartWorkerAsync(store, new DelegateHandler((job, _) =>
        {
            if (job.Id == "blocker")
            {
                blocking.TrySetResult();
                gate.Wait(TimeSpan.FromSeconds(60), CancellationToken.None); // blocks its thread, never awaits
            }
            else
            {
                others[job.Id] = true;
            }

            return Task.FromResult<string?>(null);
        }), TimeProvider.System, Options(o => o.Concurrency = 3));

        try
        {
            // Same batch as the blocker, then a later batch: both start while the blocker holds its thread.
            await store.EnqueueManyAsync([Job("blocker"), Job("same-batch")], TimeProvider.System.GetUtcNow(), Ct);
            await Eventually.CompletesAsync(blocking.Task, "the blocking handler to start");
            await store.EnqueueAsync(Job("later"), TimeProvider.System.GetUtcNow(), Ct);

            await WaitForStateAsync(store, "same-batch", JobState.Completed);
            await WaitForStateAsync(store, "later", JobState.Completed);
        }
        finally
        {
            gate.Set();
        }

        await WaitForStateAsync(store, "blocker", JobState.Completed);
    }

    /// <summary>
    /// A worker whose "block-*" jobs hold their slot (until <paramref name="gate"/>, or until stop cancels
    /// them) and whose other jobs finish at once; warmed up with short jobs so it claims ahead.
    /// </summary>
    private async Task<QueueWorker> StartAheadWorkerAsync(IQueueStore store, ConcurrentBag<string> ran, CountdownEvent blockedStarted, Action<QueueWorkerOptions>? configure = null, Task? gate = null)
    {
        var worker = await StartWorkerAsync(store, new DelegateHandler(async (job, ct) =>
        {
            ran.Add(job.Id);
            if (job.Id.StartsWith("block", StringComparison.Ordinal))
            {
                blockedStarted.Signal();
                await (gate ?? Task.Delay(Timeout.Infinite, ct)).WaitAsync(ct);
            }

            return null;
        }), TimeProvider.System, Options(o =>
        {
            o.Concurrency = AheadConcurrency;
            // Long enough that only stop or cancel moves a waiting job in these tests.
            o.ClaimAheadMaxWait = TimeSpan.FromMinutes(5);
            configure?.Invoke(o);
        }));
        await WarmUpWithShortJobsAsync(store);
        return worker;
    }

    /// <summary>Fifty instant jobs, so the worker's recent handler durations are short and it claims ahead.</summary>
    private static async Task WarmUpWithShortJobsAsync(IQueueStore store)
    {
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 50).Select(i => Job($"warm-{i}"))], TimeProvider.System.GetUtcNow(), Ct);
        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Completed] == 50, "the 50 warm-up jobs to complete");
    }

    /// <summary>Two jobs fill both slots and block; the two behind them are claimed ahead in the same call and wait.</summary>
    private static async Task FillSlotsAndBufferAsync(IQueueStore store, CountdownEvent blockedStarted)
    {
        await store.EnqueueManyAsync([Job("block-0"), Job("block-1"), Job("ahead-0"), Job("ahead-1")], TimeProvider.System.GetUtcNow(), Ct);
        Assert.True(blockedStarted.Wait(TimeSpan.FromSeconds(15), Ct), "the two blocking handlers to start");
        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Active] == 2 * AheadConcurrency, "the two jobs behind them to be claimed ahead");
        Assert.Equal(JobState.Active, (await GetAsync(store, "ahead-1")).State);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
