using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>
/// Runs real worker processes (tests/VideoGen.Queue.ChaosWorker) against a real redis-server, lets a
/// test break things while 1,000 jobs run, then checks the queue's promises from the outside:
/// every job completed exactly once (one Completed event per job in the stream), none lost, no
/// job + attempt succeeding twice, and executions per job never above the attempts the store recorded.
/// </summary>
public sealed class ChaosHarness : IAsyncDisposable
{
    public const int JobCount = 1000;
    private const int WorkerConcurrency = 2;
    private const int LeaseMs = 2000;
    private const int MaxEventEntries = 1_000_000;
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? _workerDll;

    private readonly List<Process> _workers = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ChaosHarness(RedisServer server, RedisQueueStoreFactory factory, string queue)
    {
        Server = server;
        Factory = factory;
        Queue = queue;
        Store = factory.Open(queue);
    }

    public RedisServer Server { get; }

    public RedisQueueStoreFactory Factory { get; }

    public string Queue { get; }

    public IQueueStore Store { get; }

    public int WorkerKills { get; private set; }

    public int WorkerStarts { get; private set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ChaosHarness> StartAsync(string name, int workers)
    {
        var dll = await BuildWorkerAsync();
        var server = await RedisServer.StartAsync(Ct);
        var factory = new RedisQueueStoreFactory(server.Endpoint, new RedisQueueOptions { MaxEventEntries = MaxEventEntries, TransientRetryBudget = TimeSpan.FromSeconds(30) });
        var harness = new ChaosHarness(server, factory, RedisServerFixture.NewQueueName(name));
        var ready = new List<Task>();
        for (var i = 0; i < workers; i++)
        {
            ready.Add(harness.StartWorker(dll));
        }

        await Task.WhenAll(ready).WaitAsync(TimeSpan.FromSeconds(40), Ct);
        var backoff = new BackoffPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        var jobs = Enumerable.Range(0, JobCount)
            .Select(i => new EnqueueRequest { Id = $"job-{i:D4}", MaxAttempts = 100, Backoff = backoff, Payload = "{}" })
            .ToList();
        Assert.Equal(JobCount, await harness.Store.EnqueueManyAsync(jobs, TimeProvider.System.GetUtcNow(), Ct));
        return harness;
    }

    /// <summary>SIGKILLs a random worker process and starts a replacement (not waiting for it to be ready).</summary>
    public void KillRandomWorkerAndReplace()
    {
        var alive = _workers.Where(p => !p.HasExited).ToList();
        if (alive.Count > 0)
        {
            var victim = alive[Random.Shared.Next(alive.Count)];
            victim.Kill();
            victim.WaitForExit(5000);
            WorkerKills++;
        }

        _ = StartWorker(_workerDll!);
    }

    public async Task<IReadOnlyDictionary<JobState, long>> CountsAsync() => await Store.CountsAsync(Ct);

    /// <summary>Waits (bounded) until every job is completed; fails with the counts if it does not happen.</summary>
    public async Task WaitForAllCompletedAsync(TimeSpan timeout)
    {
        var deadline = _clock.Elapsed + timeout;
        IReadOnlyDictionary<JobState, long> counts;
        while (true)
        {
            counts = await CountsAsync();
            if (counts[JobState.Completed] == JobCount)
            {
                return;
            }

            Assert.True(_clock.Elapsed < deadline, $"not all {JobCount} jobs completed within {timeout.TotalSeconds:F0} s: {Describe(counts)}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Checks the promises and returns the summary line printed to the test output.</summary>
    public async Task<string> VerifyAsync(string faults)
    {
        var db = Factory.Connection.GetDatabase();
        var counts = await CountsAsync();
        Assert.Equal(JobCount, counts[JobState.Completed]);
        Assert.Equal(0, counts.Where(c => c.Key != JobState.Completed).Sum(c => c.Value));

        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await Store.ListAsync(JobState.Completed, cursor, 500, Ct);
            foreach (var job in page.Jobs)
            {
                attempts[job.Id] = job.Attempt;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(JobCount, attempts.Count);

        var executions = (await db.HashGetAllAsync($"chaos:{{{Queue}}}:exec")).ToDictionary(e => (string)e.Name!, e => (int)e.Value, StringComparer.Ordinal);
        var successes = (await db.HashGetAllAsync($"chaos:{{{Queue}}}:success")).Select(e => ((string)e.Name!)[..((string)e.Name!).LastIndexOf(':')]).ToList();
        var duplicateSuccess = await db.HashLengthAsync($"chaos:{{{Queue}}}:dupsuccess");
        var completedEvents = await CountCompletedEventsAsync(db);

        Assert.Equal(0, duplicateSuccess);
        Assert.Equal(JobCount, completedEvents.Count);
        Assert.All(completedEvents, e => Assert.True(e.Value == 1, $"job {e.Key} completed {e.Value} times"));
        Assert.Equal(JobCount, successes.Distinct(StringComparer.Ordinal).Count());
        foreach (var (id, attempt) in attempts)
        {
            var ran = executions.GetValueOrDefault(id);
            Assert.True(ran >= 1 && ran <= attempt, $"job {id}: {ran} executions but {attempt} attempts recorded");
        }

        var reExecuted = executions.Count(e => e.Value > 1);
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"completed {counts[JobState.Completed]}/{JobCount}, lost 0, completed twice 0, completed events {completedEvents.Values.Sum()}, " +
            $"executions {executions.Values.Sum()} (jobs run more than once: {reExecuted}), handler successes {successes.Count}, " +
            $"attempts recorded {attempts.Values.Sum()}, worker kills {WorkerKills}, worker starts {WorkerStarts}, {faults}, elapsed {Elapsed.TotalSeconds:F1} s");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine($"[{Queue}] {summary}");
        if (Environment.GetEnvironmentVariable("VIDEOGEN_CHAOS_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllTextAsync(log, $"[{Queue}] {summary}{Environment.NewLine}", Ct);
        }

        return summary;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _workers)
        {
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit(5000);
            }

            p.Dispose();
        }

        await Factory.DisposeAsync();
        await Server.DisposeAsync();
    }

    private async Task<Dictionary<string, int>> CountCompletedEventsAsync(IDatabase db)
    {
        var completed = new Dictionary<string, int>(StringComparer.Ordinal);
        RedisValue from = "-";
        while (true)
        {
            var entries = await db.StreamRangeAsync(((RedisQueueStore)Store).KeyTag + "events", from, "+", 1000);
            foreach (var entry in entries)
            {
                using var doc = JsonDocument.Parse((string)entry["e"]!);
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    if ((JobEventKind)e[1].GetInt32() == JobEventKind.Completed)
                    {
                        var id = e[0].GetString()!;
                        completed[id] = completed.GetValueOrDefault(id) + 1;
                    }
                }
            }

            if (entries.Length < 1000)
            {
                return completed;
            }

            from = "(" + entries[^1].Id;
        }
    }

    private Task StartWorker(string dll)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, Server.Endpoint, Queue, WorkerConcurrency.ToString(CultureInfo.InvariantCulture), LeaseMs.ToString(CultureInfo.InvariantCulture), MaxEventEntries.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the chaos worker");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _workers.Add(process);
        WorkerStarts++;
        return ready.Task;
    }

    private static string Describe(IReadOnlyDictionary<JobState, long> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));

    /// <summary>Builds the worker exe once per test run (incremental, so cheap when up to date).</summary>
    private static async Task<string> BuildWorkerAsync()
    {
        await BuildGate.WaitAsync(Ct);
        try
        {
            if (_workerDll is not null)
            {
                return _workerDll;
            }

            // The worker is built from this checkout; outside one, RepoPaths.Root fails saying so.
            var project = Path.Combine(RepoPaths.Root, "tests", "VideoGen.Queue.ChaosWorker", "VideoGen.Queue.ChaosWorker.csproj");
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "build", project, "-c", configuration, "--nologo", "-v", "q" })
            {
                info.ArgumentList.Add(arg);
            }

            using var build = Process.Start(info)!;
            var output = build.StandardOutput.ReadToEndAsync(Ct);
            var errors = build.StandardError.ReadToEndAsync(Ct);
            await build.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(4), Ct);
            Assert.True(build.ExitCode == 0, $"building the chaos worker failed: {await output}{await errors}");
            _workerDll = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, "net10.0", "VideoGen.Queue.ChaosWorker.dll");
            Assert.True(File.Exists(_workerDll), $"{_workerDll} is missing after the build");
            return _workerDll;
        }
        finally
        {
            BuildGate.Release();
        }
    }
}
