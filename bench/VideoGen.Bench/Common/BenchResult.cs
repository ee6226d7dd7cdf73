using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Bench.Common;

/// <summary>
/// The one JSON line every queue benchmark prints (VideoGen, BullMQ, Hangfire use the same field
/// names, so bench/run.sh can put them side by side). Rates are per second of wall time.
/// </summary>
public sealed record BenchResult
{
    public required string System { get; init; }
    public string? Version { get; init; }
    public required string Backend { get; init; }
    public required long Jobs { get; init; }
    public required int Concurrency { get; init; }
    public long EnqueueJobs { get; init; }
    /// <summary>One awaited add at a time.</summary>
    public double? EnqueuePerS { get; init; }
    /// <summary>Batched adds; null when the system has no batch add.</summary>
    public double? EnqueueBulkPerS { get; init; }
    public string? EnqueueBulkNote { get; init; }
    /// <summary>No-op handler, from worker start until all jobs are done.</summary>
    public double? ProcessPerS { get; init; }
    public long Processed { get; init; }
    public bool ProcessTimedOut { get; init; }
    public long? CompletedInStore { get; init; }
    public int PickupSamples { get; init; }
    public double? PickupP50Ms { get; init; }
    public double? PickupP99Ms { get; init; }
    /// <summary>The part of pickup after the enqueue call returned (wake-up + claim + dispatch), p50 and p99.</summary>
    public double? PickupAfterEnqueueP50Ms { get; init; }
    public double? PickupAfterEnqueueP99Ms { get; init; }
    public double? RedisCmdsPerJob { get; init; }
    public IReadOnlyDictionary<string, double>? RedisCmdsBreakdown { get; init; }
    /// <summary>CPU time of the benchmark process (client + workers) per processed job, in microseconds.</summary>
    public double? ClientCpuUsPerJob { get; init; }
    /// <summary>CPU time of redis-server per processed job, in microseconds (Redis backends only).</summary>
    public double? RedisCpuUsPerJob { get; init; }
    /// <summary>Thread-pool work items and context switches of the benchmark process per processed job (thread hand-offs).</summary>
    public double? ClientWorkItemsPerJob { get; init; }
    public double? ClientContextSwitchesPerJob { get; init; }
    /// <summary>CPU per job of the bulk enqueue phase: this process, and redis-server (Redis backends only).</summary>
    public double? BulkClientCpuUsPerJob { get; init; }
    public double? BulkRedisCpuUsPerJob { get; init; }
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    public static double Rate(long count, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 0 : Math.Round(count / elapsed.TotalSeconds, 1);
}
