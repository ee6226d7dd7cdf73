using VideoGen.Bench.Common;
using VideoGen.Queue;

namespace VideoGen.Bench.Queue;

/// <summary>
/// Measures one VideoGen queue backend in four phases, each on a fresh queue and each bounded in
/// count and time: one-at-a-time enqueue, batched enqueue, processing with one worker, and pickup
/// latency of an idle worker. BullMQ (bench/bullmq) and Hangfire (bench/hangfire) are measured the
/// same way, so the numbers can stand side by side.
/// </summary>
public sealed class QueueBenchmark(QueueBenchOptions options, BenchBackend backend, TimeProvider time)
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pause between pickup samples so the worker is back in its idle wait when the next job arrives.</summary>
    private static readonly TimeSpan IdleGap = TimeSpan.FromMilliseconds(5);

    private readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    private (double? Client, double? Redis) _bulkCpu;

    public async Task<BenchResult> RunAsync(CancellationToken ct)
    {
        var (enqueued, enqueuePerS) = options.Phases.Contains("enqueue") ? await EnqueueOneByOneAsync(ct) : (0, (double?)null);
        long bulked = 0;
        double? bulkPerS = null;
        var process = new ProcessFigures(null, 0, false, null, null, null, null, null, null, null);
        if (options.Phases.Contains("process"))
        {
            await WarmUpAsync(ct);
            var processQueue = new JobQueue(backend.Stores.Open($"bench-proc-{_runId}"), time);
            (bulked, bulkPerS) = await EnqueueBulkAsync(processQueue, ct);
            process = await ProcessAsync(processQueue, bulked, ct);
        }

        var (pickup, afterEnqueue) = options.Phases.Contains("pickup") ? await PickupAsync(ct) : (new LatencySamples(), new LatencySamples());

        return new BenchResult
        {
            System = "videogen",
            Version = typeof(QueueWorker).Assembly.GetName().Version?.ToString(3),
            Backend = options.Backend,
            Jobs = bulked,
            Concurrency = options.Concurrency,
            EnqueueJobs = enqueued,
            EnqueuePerS = enqueuePerS,
            EnqueueBulkPerS = bulkPerS,
            ProcessPerS = process.PerS,
            Processed = process.Processed,
            ProcessTimedOut = process.TimedOut,
            CompletedInStore = process.CompletedInStore,
            PickupSamples = pickup.Count,
            PickupP50Ms = pickup.Percentile(50),
            PickupP99Ms = pickup.Percentile(99),
            PickupAfterEnqueueP50Ms = afterEnqueue.Percentile(50),
            PickupAfterEnqueueP99Ms = afterEnqueue.Percentile(99),
            BulkClientCpuUsPerJob = _bulkCpu.Client,
            BulkRedisCpuUsPerJob = _bulkCpu.Redis,
            RedisCmdsPerJob = process.CmdsPerJob,
            RedisCmdsBreakdown = process.CmdsBreakdown,
            ClientCpuUsPerJob = process.ClientCpuUsPerJob,
            RedisCpuUsPerJob = process.RedisCpuUsPerJob,
            ClientWorkItemsPerJob = process.WorkItemsPerJob,
            ClientContextSwitchesPerJob = process.ContextSwitchesPerJob,
            Settings = backend.Settings,
        };
    }

    private static EnqueueRequest Job(string prefix, long i) => new() { Id = $"{prefix}{i}", Payload = $"{{\"i\":{i}}}" };

    private async Task<(long Count, double? PerS)> EnqueueOneByOneAsync(CancellationToken ct)
    {
        var queue = new JobQueue(backend.Stores.Open($"bench-enq-{_runId}"), time);
        await queue.EnqueueAsync(Job("w", 0), ct); // warm-up: scripts, statements, connections
        var count = 0L;
        var start = time.GetTimestamp();
        while (count < options.EnqueueJobs && time.GetElapsedTime(start) < options.PhaseTimeLimit)
        {
            await queue.EnqueueAsync(Job("e", count), ct);
            count++;
        }

        return (count, BenchResult.Rate(count, time.GetElapsedTime(start)));
    }

    private async Task<(long Count, double? PerS)> EnqueueBulkAsync(JobQueue queue, CancellationToken ct)
    {
        var count = 0L;
        var cpu = await CpuMeter.StartAsync(backend.Redis);
        var start = time.GetTimestamp();
        while (count < options.Jobs && time.GetElapsedTime(start) < options.PhaseTimeLimit)
        {
            var n = (int)Math.Min(options.BatchSize, options.Jobs - count);
            var batch = new EnqueueRequest[n];
            for (var k = 0; k < n; k++)
            {
                batch[k] = Job("j", count + k);
            }

            await queue.EnqueueManyAsync(batch, ct);
            count += n;
        }

        var elapsed = time.GetElapsedTime(start);
        _bulkCpu = await cpu.StopAsync(count);
        return (count, BenchResult.Rate(count, elapsed));
    }

    /// <summary>Runs the same code paths (bulk add, claim, complete) untimed on a throw-away queue.</summary>
    private async Task WarmUpAsync(CancellationToken ct)
    {
        if (options.WarmupJobs == 0)
        {
            return;
        }

        var queue = new JobQueue(backend.Stores.Open($"bench-warm-{_runId}"), time);
        var batch = Enumerable.Range(0, options.WarmupJobs).Select(i => Job("w", i)).ToList();
        for (var i = 0; i < batch.Count; i += options.BatchSize)
        {
            await queue.EnqueueManyAsync(batch.GetRange(i, Math.Min(options.BatchSize, batch.Count - i)), ct);
        }

        var handler = new NoopHandler(time);
        var worker = NewWorker(queue.Store, handler);
        await worker.StartAsync(ct);
        var ran = handler.RunsReached(options.WarmupJobs);
        await Task.WhenAny(ran, Task.Delay(options.PhaseTimeLimit, time, ct));
        await worker.StopAsync(ct);
    }

    private sealed record ProcessFigures(double? PerS, long Processed, bool TimedOut, long? CompletedInStore, double? CmdsPerJob, IReadOnlyDictionary<string, double>? CmdsBreakdown, double? ClientCpuUsPerJob, double? RedisCpuUsPerJob, double? WorkItemsPerJob, double? ContextSwitchesPerJob);

    private async Task<ProcessFigures> ProcessAsync(JobQueue queue, long jobs, CancellationToken ct)
    {
        var handler = new NoopHandler(time);
        var workers = Enumerable.Range(0, options.Workers)
            .Select(_ => NewWorker(queue.Store, handler, Math.Max(1, options.Concurrency / options.Workers)))
            .ToList();
        var before = backend.Redis is null ? null : await RedisCommandStats.ReadAsync(backend.Redis);
        var cpu = await CpuMeter.StartAsync(backend.Redis);
        var start = time.GetTimestamp();
        foreach (var worker in workers)
        {
            await worker.StartAsync(ct);
        }

        // The handler's counter says when every job ran; the store's count says when every completion
        // is durable. Only then is the clock stopped.
        var ran = handler.RunsReached(jobs);
        var done = await Task.WhenAny(ran, Task.Delay(options.PhaseTimeLimit, time, ct)) == ran
            && await Wait.UntilAsync(async () => Completed(await queue.CountsAsync(ct)) >= jobs, options.PhaseTimeLimit, time);
        var elapsed = time.GetElapsedTime(start);
        var (workItems, contextSwitches) = cpu.HandOffs(jobs);
        var (clientCpu, redisCpu) = await cpu.StopAsync(jobs);
        var after = backend.Redis is null ? null : await RedisCommandStats.ReadAsync(backend.Redis);
        foreach (var worker in workers)
        {
            await worker.StopAsync(ct);
        }

        var completed = Completed(await queue.CountsAsync(ct));
        var processed = Math.Min(handler.Runs, completed);
        double? perJob = null;
        IReadOnlyDictionary<string, double>? breakdown = null;
        if (before is not null && after is not null)
        {
            (perJob, breakdown) = RedisCommandStats.PerJob(before, after, processed);
        }

        return new ProcessFigures(BenchResult.Rate(processed, elapsed), processed, !done, completed, perJob, breakdown, clientCpu, redisCpu, workItems, contextSwitches);
    }

    private static long Completed(IReadOnlyDictionary<JobState, long> counts) => counts.GetValueOrDefault(JobState.Completed);

    private async Task<(LatencySamples Total, LatencySamples AfterEnqueue)> PickupAsync(CancellationToken ct)
    {
        var queue = new JobQueue(backend.Stores.Open($"bench-pick-{_runId}"), time);
        var handler = new NoopHandler(time);
        var worker = NewWorker(queue.Store, handler);
        await worker.StartAsync(ct);
        var samples = new LatencySamples();
        var afterEnqueue = new LatencySamples();
        var begin = time.GetTimestamp();
        for (var s = -1; s < options.PickupSamples && time.GetElapsedTime(begin) < options.PhaseTimeLimit; s++)
        {
            await Task.Delay(IdleGap, time, ct);
            var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            handler.OnStart(ts => started.TrySetResult(ts));
            var t0 = time.GetTimestamp();
            await queue.EnqueueAsync(Job("p", s + 1), ct);
            var t1 = time.GetTimestamp();
            var startedAt = await started.Task.WaitAsync(SampleTimeout, time, ct);
            if (s >= 0)
            {
                samples.Add(time.GetElapsedTime(t0, startedAt));
                afterEnqueue.Add(startedAt > t1 ? time.GetElapsedTime(t1, startedAt) : TimeSpan.Zero);
            }
        }

        handler.OnStart(null);
        await worker.StopAsync(ct);
        return (samples, afterEnqueue);
    }

    private QueueWorker NewWorker(IQueueStore store, IJobHandler handler, int? concurrency = null) => new(
        store,
        handler,
        new QueueWorkerOptions { WorkerId = $"bench-{_runId}-{Guid.NewGuid().ToString("N")[..6]}", Concurrency = concurrency ?? options.Concurrency },
        time,
        new StderrLogger<QueueWorker>());
}
