using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace VideoGen.Bench.InFlight;

/// <summary>
/// Completion → succeeded: from the instant FakeFal finished a generation (its request's <c>completed_at</c>) to the
/// video's <c>CompletedAt</c> (ingested and stored). Over at most <see cref="MaxVideos"/> succeeded videos, newest first.
/// </summary>
internal static class CompletionLatency
{
    public const int MaxVideos = 2000;

    public static async Task<(int Count, double P50Ms, double P99Ms)> MeasureAsync(string databasePath, HttpClient fakeFal, CancellationToken ct)
    {
        var rows = new List<(string RequestId, DateTimeOffset CompletedAt)>();
        await using (var db = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Default Timeout=10"))
        {
            await db.OpenAsync(ct);
            await using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT ProviderRequestId, CompletedAt FROM videos WHERE Status = 'succeeded' AND ProviderRequestId IS NOT NULL ORDER BY CompletedAt DESC LIMIT {MaxVideos}";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero)));
            }
        }

        var latencies = new List<double>(rows.Count);
        foreach (var (requestId, completedAt) in rows)
        {
            using var response = await fakeFal.GetAsync($"/_fake/requests/{Uri.EscapeDataString(requestId)}", ct);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            if (doc.RootElement.TryGetProperty("completed_at", out var at) && at.ValueKind == JsonValueKind.String)
            {
                var falDone = DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture);
                latencies.Add((completedAt - falDone).TotalMilliseconds);
            }
        }

        if (latencies.Count == 0)
        {
            return (0, 0, 0);
        }

        latencies.Sort();
        return (latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
