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
    private long _workItems;
    private long _contextSwitches;

    private CpuMeter(IDatabase? redis) => _redis = redis;

    public static async Task<CpuMeter> StartAsync(IDatabase? redis)
    {
        var meter = new CpuMeter(redis);
        meter._process = Process.GetCurrentProcess().TotalProcessorTime;
        meter._workItems = ThreadPool.CompletedWorkItemCount;
        meter._contextSwitches = ContextSwitches();
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

    /// <summary>
    /// Thread-pool work items run and context switches of this process per job since the start: each
    /// hand-off between threads costs a wake-up in the kernel, which on 2 cores is a large part of the client's CPU.
    /// </summary>
    public (double WorkItemsPerJob, double? ContextSwitchesPerJob) HandOffs(long jobs)
    {
        var n = (double)Math.Max(1, jobs);
        var switches = ContextSwitches();
        return (Math.Round((ThreadPool.CompletedWorkItemCount - _workItems) / n, 2), switches < 0 || _contextSwitches < 0 ? null : Math.Round((switches - _contextSwitches) / n, 2));
    }

    /// <summary>Voluntary and involuntary context switches of this process's live threads (Linux /proc), or -1 elsewhere.</summary>
    private static long ContextSwitches()
    {
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks))
        {
            return -1;
        }

        long total = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.Contains("ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }

        return total;
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
