using VideoGen.Bench.Common;

namespace VideoGen.Bench.Queue;

/// <summary>The <c>queue</c> command's settings (see Program.cs for the command line).</summary>
public sealed record QueueBenchOptions
{
    public required string Backend { get; init; }
    public required string Redis { get; init; }
    public required int Jobs { get; init; }
    public required int Concurrency { get; init; }
    /// <summary>How many jobs the one-at-a-time enqueue phase adds at most.</summary>
    public required int EnqueueJobs { get; init; }
    public required int BatchSize { get; init; }
    public required int PickupSamples { get; init; }
    /// <summary>Jobs processed on a separate queue before the measured run, so JIT tiering and connection setup are not measured.</summary>
    public required int WarmupJobs { get; init; }
    /// <summary>Upper bound of each phase; a phase that hits it reports what it did so far.</summary>
    public required TimeSpan PhaseTimeLimit { get; init; }
    public required string DataDir { get; init; }
    /// <summary>SQLite only: fsync every commit (<c>synchronous=FULL</c>) instead of the store's default.</summary>
    public bool SqliteFullSync { get; init; }
    /// <summary>
    /// Diagnostic: split the processing concurrency over this many <c>QueueWorker</c>s in the process
    /// (each with Concurrency = C / workers), to see how throughput depends on store calls in flight.
    /// <value>The default value is 1 (the measured configuration).</value>
    /// </summary>
    public int Workers { get; init; } = 1;
    /// <summary>Which phases run: <c>enqueue</c>, <c>process</c> (bulk enqueue + processing), <c>pickup</c>. For profiling one phase alone.</summary>
    public required IReadOnlySet<string> Phases { get; init; }

    public static QueueBenchOptions Parse(BenchArgs args)
    {
        var jobs = args.Int("jobs", 20_000);
        var options = new QueueBenchOptions
        {
            Backend = args.String("backend", "sqlite"),
            Redis = args.String("redis", "127.0.0.1:6379"),
            Jobs = jobs,
            Concurrency = args.Int("concurrency", 16),
            EnqueueJobs = args.Int("enqueue-jobs", jobs),
            BatchSize = args.Int("batch", 1_000),
            PickupSamples = args.Int("samples", 300),
            WarmupJobs = args.Int("warmup", 2_000, min: 0),
            PhaseTimeLimit = TimeSpan.FromSeconds(args.Double("time-limit", 60)),
            DataDir = args.String("data-dir", Path.Combine(Path.GetTempPath(), "videogen-bench")),
            Workers = args.Int("workers", 1),
            SqliteFullSync = args.String("sqlite-full-sync", "false") == "true",
            Phases = args.String("phases", "enqueue,process,pickup").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
        };
        args.RejectUnknown();
        return options.Backend is "redis" or "sqlite"
            ? options
            : throw new ArgumentException($"--backend must be redis or sqlite, not '{options.Backend}'");
    }
}
