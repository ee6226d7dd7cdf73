using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace VideoGen.Bench.InFlight;

/// <summary>One observation, taken once a second.</summary>
internal sealed record Sample(
    double Seconds,
    long WorkerRssKb,
    long WorkerHwmKb,
    int InFlightAtFakeFal,
    double FakeFalRpsLast10s,
    double FakeFalPeak1s,
    IReadOnlyDictionary<string, int> Statuses)
{
    public int Count(string status) => Statuses.TryGetValue(status, out var n) ? n : 0;

    public int Terminal => Count("succeeded") + Count("failed") + Count("canceled");
}

/// <summary>Reads the three sources of a sample: /proc of the worker, FakeFal's stats, the app database (read-only).</summary>
internal sealed class Sampler(Child worker, HttpClient fakeFal, string databasePath)
{
    public async Task<Sample> TakeAsync(double seconds, CancellationToken ct)
    {
        var (rss, hwm) = worker.Memory();
        using var stats = JsonDocument.Parse(await fakeFal.GetStringAsync("/_fake/stats?requests=false", ct));
        var inFlight = 0;
        foreach (var q in stats.RootElement.GetProperty("queues").EnumerateObject())
        {
            inFlight += q.Value.GetProperty("in_queue").GetInt32() + q.Value.GetProperty("in_progress").GetInt32();
        }
        var rps = stats.RootElement.GetProperty("requests_per_second");
        return new Sample(seconds, rss, hwm, inFlight, rps.GetProperty("last_10s").GetDouble(), rps.GetProperty("peak_1s_last_minute").GetDouble(), await StatusesAsync(ct));
    }

    private async Task<Dictionary<string, int>> StatusesAsync(CancellationToken ct)
    {
        await using var db = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Default Timeout=10");
        await db.OpenAsync(ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT Status, COUNT(*) FROM videos GROUP BY Status";
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0)] = reader.GetInt32(1);
        }
        return result;
    }
}
