using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace VideoGen.Bench.Common;

/// <summary>
/// CPU time spent by this process and by redis-server over a phase. On a small machine shared with
/// other work, wall-clock rates swing with the neighbours' load; CPU microseconds per job do not, so
/// they show where the cost is (client or server) and compare systems more steadily.
/// </summary>
public sealed class CpuMeter
{
    private readonly IDatabase? _redis;
    private TimeSpan _process;
    private double _redisSeconds;

    private CpuMeter(IDatabase? redis) => _redis = redis;

    public static async Task<CpuMeter> StartAsync(IDatabase? redis)
    {
        var meter = new CpuMeter(redis);
        meter._process = Process.GetCurrentProcess().TotalProcessorTime;
        meter._redisSeconds = redis is null ? 0 : await RedisCpuSecondsAsync(redis).ConfigureAwait(false);
        return meter;
    }

    /// <summary>(client µs per job, redis-server µs per job or null without Redis).</summary>
    public async Task<(double ClientUsPerJob, double? RedisUsPerJob)> StopAsync(long jobs)
    {
        var n = Math.Max(1, jobs);
        var client = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalMicroseconds / n;
        double? server = _redis is null ? null : Math.Round((await RedisCpuSecondsAsync(_redis).ConfigureAwait(false) - _redisSeconds) * 1e6 / n, 1);
        return (Math.Round(client, 1), server);
    }

    private static async Task<double> RedisCpuSecondsAsync(IDatabase db)
    {
        var info = (string?)await db.ExecuteAsync("INFO", "cpu").ConfigureAwait(false) ?? "";
        var total = 0d;
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("used_cpu_user:", StringComparison.Ordinal) || line.StartsWith("used_cpu_sys:", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
