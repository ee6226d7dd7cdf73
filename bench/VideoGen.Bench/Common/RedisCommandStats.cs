using System.Globalization;
using StackExchange.Redis;

namespace VideoGen.Bench.Common;

/// <summary>
/// Calls per command from <c>INFO commandstats</c>. Redis counts commands run inside Lua scripts
/// too, so a delta is the real work the server did, not just the round trips.
/// </summary>
public sealed record RedisCommandStats(IReadOnlyDictionary<string, long> Calls)
{
    public long Total => Calls.Values.Sum();

    public static async Task<RedisCommandStats> ReadAsync(IDatabase db)
    {
        var info = (string?)await db.ExecuteAsync("INFO", "commandstats").ConfigureAwait(false) ?? "";
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[8..colon];
            var field = line[(colon + 1)..].Split(',')[0];
            calls[name] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
        }

        return new RedisCommandStats(calls);
    }

    /// <summary>
    /// Per-job calls between two readings. INFO calls are the benchmark's own probes and are left out.
    /// </summary>
    public static (double PerJob, SortedDictionary<string, double> Breakdown) PerJob(RedisCommandStats before, RedisCommandStats after, long jobs)
    {
        var n = Math.Max(1, jobs);
        var breakdown = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var total = 0L;
        foreach (var (name, calls) in after.Calls)
        {
            var delta = calls - before.Calls.GetValueOrDefault(name);
            if (delta > 0 && name != "info")
            {
                total += delta;
                breakdown[name] = Math.Round((double)delta / n, 3);
            }
        }

        return (Math.Round((double)total / n, 2), breakdown);
    }
}
