using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VideoGen.Core.Models;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Hosting;
using VideoGen.Server.Queueing;

// Reconciler at scale: a `videogen worker`-shaped host without workers (the reconciler and the app database only),
// N unfinished videos with live jobs, a few jobs removed. Measures passes until one full cycle, checks that every
// video whose job was removed has a job again, then measures a second (steady, nothing to fix) cycle.
var rows = Env("RECONCILER_ROWS", 20_000);
var removedCount = Math.Min(rows, Env("RECONCILER_REMOVED", 10));
var rowsPerPass = Environment.GetEnvironmentVariable("RECONCILER_ROWS_PER_PASS");
var database = (Environment.GetEnvironmentVariable("RECONCILER_DATABASE") ?? "sqlite").Trim().ToLowerInvariant();
var dataDir = Path.Combine(Path.GetTempPath(), $"videogen-reconciler-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(dataDir);
void Log(string line) => Console.Error.WriteLine($"[reconciler {TimeProvider.System.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {line}");

var args2 = new List<string>
{
    $"--VideoGen:DataDir={dataDir}",
    "--VideoGen:Queue:ReconcileInterval=1.00:00:00",
    "--Logging:LogLevel:Default=Warning",
    "--Logging:LogLevel:VideoGen.Server.Queueing.VideoReconciler=Error",
};
if (rowsPerPass is { Length: > 0 })
{
    args2.Add($"--VideoGen:Queue:ReconcileRowsPerPass={rowsPerPass}");
}
if (database == "postgres")
{
    var baseConnection = Environment.GetEnvironmentVariable("RECONCILER_POSTGRES")
        ?? throw new InvalidOperationException("RECONCILER_DATABASE=postgres needs RECONCILER_POSTGRES (a connection string).");
    args2.Add("--VideoGen:Database:Provider=postgres");
    args2.Add($"--ConnectionStrings:Postgres={new NpgsqlConnectionStringBuilder(baseConnection) { Database = $"videogen_reconciler_bench_{Guid.NewGuid():N}" }}");
}

using var host = VideoGenHost.BuildWorker([.. args2], runWorkers: false);
await host.StartAsync();
var services = host.Services;
var reconciler = services.GetRequiredService<VideoReconciler>();
await reconciler.FirstPass.WaitAsync(TimeSpan.FromMinutes(2));
var dbs = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
var jobs = services.GetRequiredService<VideoJobs>();
try
{
    VideoStatus[] unfinished = [VideoStatus.Queued, VideoStatus.Submitting, VideoStatus.InQueue, VideoStatus.Generating, VideoStatus.Ingesting];
    var start = TimeProvider.System.GetUtcNow().AddHours(-2);
    var ids = new List<string>(rows);
    var seed = Stopwatch.StartNew();
    for (var offset = 0; offset < rows; offset += 1_000)
    {
        var batch = Enumerable.Range(offset, Math.Min(1_000, rows - offset)).Select(i => new Video
        {
            Id = $"{i:D7}{Guid.NewGuid():N}"[..32],
            UserId = $"user-{i % 50}",
            Prompt = $"bench video {i}",
            Model = LocalModelSource.PreviewModelId,
            Status = unfinished[i % unfinished.Length],
            ProviderRequestId = unfinished[i % unfinished.Length] is VideoStatus.Queued or VideoStatus.Submitting ? null : $"req-{i}",
            Provider = unfinished[i % unfinished.Length] is VideoStatus.Queued ? null : "local",
            CreatedAt = start.AddMilliseconds(i * 100),
            UpdatedAt = start.AddMilliseconds(i * 100),
        }).ToList();
        await using (var db = await dbs.CreateDbContextAsync())
        {
            db.Videos.AddRange(batch);
            await db.SaveChangesAsync();
        }
        await jobs.Queue.EnqueueManyAsync(batch.Select(v => new EnqueueRequest { Id = v.Id, Payload = v.Id, Group = v.UserId, MaxAttempts = 5 }).ToList());
        ids.AddRange(batch.Select(v => v.Id));
    }
    Log($"{rows} unfinished videos with jobs in {seed.Elapsed.TotalSeconds:0.0} s ({database})");

    // Jobs removed from the oldest video to the newest, as an admin, a Redis loss or retention would.
    var removed = Enumerable.Range(0, removedCount).Select(k => ids[removedCount == 1 ? rows - 1 : (int)((long)k * (rows - 1) / (removedCount - 1))]).Distinct().ToList();
    foreach (var id in removed)
    {
        if (!await jobs.Queue.RemoveAsync(id))
        {
            throw new InvalidOperationException($"Could not remove the job of {id}.");
        }
    }

    var repair = await CycleAsync();
    var restored = 0;
    foreach (var id in removed)
    {
        if (await jobs.Queue.GetAsync(id) is { State: JobState.Waiting })
        {
            restored++;
        }
    }
    Log($"repair cycle: {repair.Passes.Count} pass(es), {repair.Elapsed.TotalMilliseconds:0} ms, {repair.Created} jobs given back; {restored}/{removed.Count} removed jobs back");
    var steady = await CycleAsync();
    Log($"steady cycle: {steady.Passes.Count} pass(es), {steady.Elapsed.TotalMilliseconds:0} ms");

    Console.WriteLine(JsonSerializer.Serialize(new
    {
        bench = "reconciler",
        database,
        queue = "sqlite",
        rows,
        rows_per_pass = rowsPerPass is { Length: > 0 } ? int.Parse(rowsPerPass, CultureInfo.InvariantCulture) : 20_000,
        jobs_removed = removed.Count,
        jobs_restored_in_one_cycle = restored,
        repair_cycle = Figures(repair),
        steady_cycle = Figures(steady),
    }));
    return restored == removed.Count ? 0 : 1;
}
finally
{
    if (database == "postgres")
    {
        await using var db = await dbs.CreateDbContextAsync();
        await db.Database.EnsureDeletedAsync();
    }
    await host.StopAsync();
    Directory.Delete(dataDir, recursive: true);
}

async Task<Cycle> CycleAsync()
{
    var passes = new List<(ReconcilePass Pass, TimeSpan Took)>();
    var all = Stopwatch.StartNew();
    while (passes.Count < 10_000)
    {
        var one = Stopwatch.StartNew();
        var pass = await reconciler.ReconcilePassAsync(VideoReconciler.Grace, CancellationToken.None);
        passes.Add((pass, one.Elapsed));
        if (pass.CycleCompleted)
        {
            break;
        }
    }
    return new Cycle(passes, all.Elapsed, passes.Sum(p => p.Pass.Created));
}

static object Figures(Cycle c) => new
{
    passes = c.Passes.Count,
    cycle_ms = Math.Round(c.Elapsed.TotalMilliseconds),
    pass_ms = c.Passes.Select(p => Math.Round(p.Took.TotalMilliseconds)).ToArray(),
    rows_examined = c.Passes.Sum(p => p.Pass.Examined),
    jobs_given_back = c.Created,
    rows_per_second = Math.Round(c.Passes.Sum(p => p.Pass.Examined) / Math.Max(0.001, c.Elapsed.TotalSeconds)),
};

static int Env(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

internal sealed record Cycle(List<(ReconcilePass Pass, TimeSpan Took)> Passes, TimeSpan Elapsed, int Created);
