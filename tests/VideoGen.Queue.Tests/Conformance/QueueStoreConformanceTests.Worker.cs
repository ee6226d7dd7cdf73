using System.Diagnostics;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Enqueue_WakesAnIdleWorkerAtOnce()
    {
        var store = await NewStoreAsync();
        var producer = await OtherHandleAsync(store);
        var started = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        TaskCompletionSource Signal(string id) => started.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // The idle ceiling is far above the bound, so only a wake-up can pass this test.
        await StartWorkerAsync(store, new DelegateHandler((job, _) => { Signal(job.Id).TrySetResult(); return Task.FromResult<string?>(null); }), TimeProvider.System, Options(o => o.IdleWaitCeiling = TimeSpan.FromSeconds(30)));

        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var id = $"wake-{i}";
            var clock = Stopwatch.StartNew();
            await (i % 2 == 0 ? store : producer).EnqueueAsync(Job(id), TimeProvider.System.GetUtcNow(), Ct);
            await Eventually.CompletesAsync(Signal(id).Task, $"job {id} to start on the idle worker", TimeSpan.FromSeconds(10));
            latencies.Add(clock.Elapsed);
            await WaitForStateAsync(store, id, JobState.Completed);
        }

        Assert.All(latencies, l => Assert.True(l < TimeSpan.FromMilliseconds(500), $"pickup took {l.TotalMilliseconds:0} ms (all: {string.Join(", ", latencies.Select(x => x.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))})"));
    }

    [Fact]
    public async Task DelayedJob_EnqueuedToAnIdleWorker_RunsWhenDueAndNotBefore()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        var startedAt = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The idle ceiling is an hour, so only the next-due time can wake the worker for this job.
        await StartWorkerAsync(store, new DelegateHandler((_, _) => { startedAt.TrySetResult(time.GetUtcNow()); return Task.FromResult<string?>(null); }), time, Options(o => o.IdleWaitCeiling = TimeSpan.FromHours(1)));

        await store.EnqueueAsync(Job("later", runAt: T0.AddSeconds(10)), T0, Ct);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(T0.AddSeconds(10), await Eventually.CompletesAsync(startedAt.Task, "the delayed job to start once due"));
        await WaitForStateAsync(store, "later", JobState.Completed);
    }

    [Fact]
    public async Task Worker_RunsAtMostConcurrencyHandlersAtOnce()
    {
        var store = await NewStoreAsync();
        var running = 0;
        var peak = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = await StartWorkerAsync(store, new DelegateHandler(async (_, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await gate.Task;
            Interlocked.Decrement(ref running);
            return null;
        }), TimeProvider.System, Options(o => o.Concurrency = 4));

        await store.EnqueueManyAsync([.. Enumerable.Range(0, 20).Select(i => Job($"j{i}"))], TimeProvider.System.GetUtcNow(), Ct);
        await Eventually.TrueAsync(() => Volatile.Read(ref running) == 4 && worker.RunningCount == 4, "4 handlers to run at once");
        Assert.Equal(4, (await store.CountsAsync(Ct))[JobState.Active]);
        gate.SetResult();

        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Completed] == 20, "all 20 jobs to complete");
        Assert.Equal(4, Volatile.Read(ref peak));
    }

    [Fact]
    public async Task StopAsync_LetsRunningJobsFinishWithinTheTimeout()
    {
        var store = await NewStoreAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = await StartWorkerAsync(store, new DelegateHandler(async (_, _) => { started.TrySetResult(); await gate.Task; return "finished"; }), TimeProvider.System, Options(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20)));
        await store.EnqueueAsync(Job("a"), TimeProvider.System.GetUtcNow(), Ct);
        await Eventually.CompletesAsync(started.Task, "the handler to start");

        var stop = worker.StopAsync(Ct);
        await store.EnqueueAsync(Job("b"), TimeProvider.System.GetUtcNow(), Ct);
        gate.SetResult();
        await Eventually.CompletesAsync(stop, "the worker to stop");

        var job = await GetAsync(store, "a");
        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal("finished", job.Result);
        Assert.Equal(JobState.Waiting, (await GetAsync(store, "b")).State);
    }

    [Fact]
    public async Task StopAsync_ReleasesJobsStillRunningAfterTheTimeoutSoAnotherWorkerResumesThemAtOnce()
    {
        var store = await NewStoreAsync();
        var other = await OtherHandleAsync(store);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = await StartWorkerAsync(store, new DelegateHandler(async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }), TimeProvider.System, Options(o => { o.ShutdownTimeout = TimeSpan.FromMilliseconds(200); o.LeaseDuration = TimeSpan.FromMinutes(5); }));
        await store.EnqueueAsync(Job("long", maxAttempts: 1), TimeProvider.System.GetUtcNow(), Ct);
        await Eventually.CompletesAsync(started.Task, "the long handler to start");

        await Eventually.CompletesAsync(stopping.StopAsync(Ct), "the worker to stop");

        var released = await GetAsync(store, "long");
        Assert.Equal(JobState.Waiting, released.State);
        Assert.Equal(0, released.Attempt);
        var resumedAttempt = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        await StartWorkerAsync(other, new DelegateHandler((job, _) => { resumedAttempt.TrySetResult(job.Attempt); return Task.FromResult<string?>("resumed"); }), TimeProvider.System, Options());
        Assert.Equal(1, await Eventually.CompletesAsync(resumedAttempt.Task, "another worker to resume the released job", TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"resumed after {clock.Elapsed.TotalSeconds:0.0} s; the 5-minute lease was not released");
        await WaitForStateAsync(other, "long", JobState.Completed);
    }

    [Fact]
    public async Task StopAsync_ReleasesAJobWhoseHandlerIgnoresCancellation()
    {
        var store = await NewStoreAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = await StartWorkerAsync(store, new DelegateHandler((_, _) => { started.TrySetResult(); return never.Task; }), TimeProvider.System, Options(o => { o.ShutdownTimeout = TimeSpan.FromMilliseconds(100); o.LeaseDuration = TimeSpan.FromMinutes(5); }));
        await store.EnqueueAsync(Job("stuck"), TimeProvider.System.GetUtcNow(), Ct);
        await Eventually.CompletesAsync(started.Task, "the stuck handler to start");

        await Eventually.CompletesAsync(worker.StopAsync(Ct), "the worker to stop despite the stuck handler");
        never.SetResult("too late");

        await Eventually.TrueAsync(async () => (await GetAsync(store, "stuck")).State == JobState.Waiting, "the stuck job to be released");
        Assert.Equal(0, (await GetAsync(store, "stuck")).Attempt);
    }

    [Fact]
    public async Task Handler_ReportingProgress_StoresItAndPublishesAnEvent()
    {
        var store = await NewStoreAsync();
        await using var events = await EventCollector.StartAsync(store, TimeProvider.System.GetUtcNow());
        var accepted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await StartWorkerAsync(store, new DelegateHandler(async (job, ct) =>
        {
            accepted.TrySetResult(await job.ReportProgressAsync("{\"stage\":\"generating\"}", ct));
            await gate.Task;
            return null;
        }), TimeProvider.System, Options());

        await store.EnqueueAsync(Job("a"), TimeProvider.System.GetUtcNow(), Ct);

        Assert.True(await Eventually.CompletesAsync(accepted.Task, "the handler to report progress"));
        Assert.Equal("{\"stage\":\"generating\"}", (await GetAsync(store, "a")).Progress);
        await events.WaitForAsync("a", 3, "enqueued, active and progress events of job a");
        Assert.Equal([JobEventKind.Enqueued, JobEventKind.Active, JobEventKind.Progress], events.For("a").Take(3).Select(e => e.Kind));
        gate.SetResult();
        await WaitForStateAsync(store, "a", JobState.Completed);
    }

    [Fact]
    public async Task Worker_TrimsFinishedJobsPastRetention()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var store = await NewStoreAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.EnqueueAsync(Job($"old-{i}"), T0, Ct);
            var claimed = await ClaimOneAsync(store, T0);
            await store.CompleteAsync([new JobCompletion(claimed.Id, claimed.LeaseToken)], T0, Ct);
        }

        var options = Options(o => { o.Retention = new RetentionPolicy { MaxAge = TimeSpan.FromHours(1), MaxCount = 100 }; o.RetentionInterval = TimeSpan.FromMinutes(1); });
        await StartWorkerAsync(store, DelegateHandler.Completing(), time, options);
        time.Advance(TimeSpan.FromHours(2));

        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Completed] == 0, "the worker to trim completed jobs older than an hour");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
