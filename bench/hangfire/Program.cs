using Hangfire;
using VideoGen.Bench.Common;
using VideoGen.Bench.Hangfire;

// Measures Hangfire 1.8 the same way bench/VideoGen.Bench measures VideoGen's queue and prints one
// JSON line with the same field names. Usage:
//   dotnet run -c Release --project bench/hangfire -- --storage inmemory|sqlite|redis
//     [--redis HOST:PORT] [--jobs N] [--concurrency C] [--samples 300] [--time-limit 60] [--data-dir DIR]
var args_ = new BenchArgs(args);
var storageKind = args_.String("storage", "inmemory");
var redis = args_.String("redis", "127.0.0.1:6379");
var jobs = args_.Int("jobs", 20_000);
var concurrency = args_.Int("concurrency", 16);
var samples = args_.Int("samples", 300);
var timeLimit = TimeSpan.FromSeconds(args_.Double("time-limit", 60));
var dataDir = args_.String("data-dir", Path.GetTempPath());
var warmup = args_.Int("warmup", 2_000, min: 0);
args_.RejectUnknown();

var time = TimeProvider.System;
var runId = Guid.NewGuid().ToString("N")[..10];
Directory.CreateDirectory(dataDir);

GlobalConfiguration.Configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings();

var storage = HangfireStorages.Create(storageKind, runId, redis, dataDir);
var client = new BackgroundJobClient(storage);
var monitoring = storage.GetMonitoringApi();
using var commandStats = storageKind == "redis" ? await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true") : null;

var serverOptions = new BackgroundJobServerOptions
{
    WorkerCount = concurrency,
    ShutdownTimeout = TimeSpan.FromSeconds(5),
    ServerName = $"bench-{runId}",
};

// Warm-up: the same code paths (enqueue, server, workers) untimed, so JIT and connection setup are
// not measured (VideoGen.Bench and the BullMQ script do the same).
var warmupStart = time.GetTimestamp();
var warmed = 0;
while (warmed < warmup && time.GetElapsedTime(warmupStart) < timeLimit)
{
    var i = -1 - warmed;
    client.Enqueue(() => NoopJob.Run(i));
    warmed++;
}

if (warmed > 0)
{
    using var warmServer = new BackgroundJobServer(serverOptions, storage);
    await Wait.UntilAsync(() => NoopJob.Runs >= warmed && monitoring.GetStatistics().Succeeded >= warmed, timeLimit, time);
}

var baseline = monitoring.GetStatistics().Succeeded;

// 1. Enqueue one at a time (Hangfire's client API is synchronous). These are the jobs processed in 2.
var enqueued = 0;
var start = time.GetTimestamp();
while (enqueued < jobs && time.GetElapsedTime(start) < timeLimit)
{
    var i = enqueued;
    client.Enqueue(() => NoopJob.Run(i));
    enqueued++;
}

var enqueuePerS = BenchResult.Rate(enqueued, time.GetElapsedTime(start));
var toProcess = enqueued;

// 2. Process them all with one server, WorkerCount = C.
var before = commandStats is null ? null : await RedisCommandStats.ReadAsync(commandStats.GetDatabase());
var cpu = await CpuMeter.StartAsync(commandStats?.GetDatabase());
NoopJob.ResetRuns();
start = time.GetTimestamp();
var server = new BackgroundJobServer(serverOptions, storage);
var timedOut = !await Wait.UntilAsync(() => NoopJob.Runs >= toProcess && monitoring.GetStatistics().Succeeded - baseline >= toProcess, timeLimit, time);
var processElapsed = time.GetElapsedTime(start);
var processed = NoopJob.Runs;
var (clientCpu, redisCpu) = await cpu.StopAsync(processed);
var after = commandStats is null ? null : await RedisCommandStats.ReadAsync(commandStats.GetDatabase());
var succeeded = monitoring.GetStatistics().Succeeded - baseline;

// 3. Pickup latency: the same server, now idle; one job at a time, Enqueue call start -> job start.
var pickup = await Pickup.MeasureAsync(client, samples, timeLimit, time);
server.Dispose();

var (perJob, breakdown) = before is null || after is null ? (0d, null) : RedisCommandStats.PerJob(before, after, processed);
var result = new BenchResult
{
    System = "hangfire",
    Version = typeof(BackgroundJob).Assembly.GetName().Version?.ToString(3),
    Backend = storageKind,
    Jobs = toProcess,
    Concurrency = concurrency,
    EnqueueJobs = enqueued,
    EnqueuePerS = enqueuePerS,
    EnqueueBulkPerS = null,
    EnqueueBulkNote = "Hangfire has no batch enqueue; a loop of Enqueue is enqueue_per_s",
    ProcessPerS = BenchResult.Rate(processed, processElapsed),
    Processed = processed,
    ProcessTimedOut = timedOut,
    CompletedInStore = succeeded,
    PickupSamples = pickup.Count,
    PickupP50Ms = pickup.Percentile(50),
    PickupP99Ms = pickup.Percentile(99),
    RedisCmdsPerJob = before is null ? null : perJob,
    RedisCmdsBreakdown = breakdown,
    ClientCpuUsPerJob = clientCpu,
    RedisCpuUsPerJob = redisCpu,
    Settings = storageKind == "sqlite"
        ? new Dictionary<string, string> { ["queue_poll_interval_ms"] = HangfireStorages.SqlitePollInterval.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }
        : null,
};
Console.Out.WriteLine(result.ToJsonLine());
if (storageKind == "sqlite")
{
    foreach (var f in Directory.GetFiles(dataDir, $"hangfire-{runId}.db*"))
    {
        File.Delete(f);
    }
}

return 0;
