using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoGen.Queue.Redis;

/// <summary>
/// The JSON record a job is stored as (one field of the queue's <c>jobs</c> hash). Short field names
/// keep the records small; the scripts (see Scripts/_prelude.lua) are the other side of this format.
/// </summary>
internal static class JobRecord
{
    /// <summary>The spec the enqueue script turns into a record.</summary>
    public static string Spec(EnqueueRequest job, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(job.Id);
        var o = new JsonObject
        {
            ["id"] = job.Id,
            ["p"] = job.Payload ?? "",
            ["pr"] = job.Priority,
            ["ma"] = Math.Max(1, job.MaxAttempts),
            ["bo"] = new JsonObject
            {
                ["b"] = job.Backoff.BaseDelay.TotalMilliseconds,
                ["m"] = job.Backoff.MaxDelay.TotalMilliseconds,
                ["j"] = job.Backoff.Jitter,
            },
            ["r"] = Ms(job.RunAt ?? now),
        };
        if (job.Group is not null)
        {
            o["g"] = job.Group;
        }

        return o.ToJsonString();
    }

    public static ClaimedJob ToClaimed(string json, long leaseExpiresMs)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new ClaimedJob
        {
            Id = Str(r, "id")!,
            LeaseToken = Str(r, "t")!,
            LeaseExpiresAt = At(leaseExpiresMs),
            Payload = Str(r, "p") ?? "",
            Group = Str(r, "g"),
            Priority = Int(r, "pr"),
            Attempt = Int(r, "a"),
            MaxAttempts = Int(r, "ma"),
            Backoff = Backoff(r),
        };
    }

    public static JobInfo ToInfo(string json, double? leaseExpiresMs)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var state = (JobState)Int(r, "st");
        return new JobInfo
        {
            Id = Str(r, "id")!,
            State = state,
            Payload = Str(r, "p") ?? "",
            Priority = Int(r, "pr"),
            Group = Str(r, "g"),
            Attempt = Int(r, "a"),
            MaxAttempts = Int(r, "ma"),
            CreatedAt = At(Long(r, "c") ?? 0),
            RunAt = At(Long(r, "r") ?? 0),
            StartedAt = Long(r, "s") is { } s ? At(s) : null,
            FinishedAt = Long(r, "f") is { } f ? At(f) : null,
            Result = Str(r, "res"),
            Error = Str(r, "err"),
            Progress = Str(r, "prog"),
            WorkerId = state == JobState.Active ? Str(r, "w") : null,
            LeaseExpiresAt = state == JobState.Active && leaseExpiresMs is { } e ? At((long)e) : null,
            CancelRequested = r.TryGetProperty("cr", out var cr) && cr.ValueKind == JsonValueKind.True,
        };
    }

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static BackoffPolicy Backoff(JsonElement r)
    {
        if (!r.TryGetProperty("bo", out var bo) || bo.ValueKind != JsonValueKind.Object)
        {
            return BackoffPolicy.Default;
        }

        return new BackoffPolicy(
            TimeSpan.FromMilliseconds(bo.GetProperty("b").GetDouble()),
            TimeSpan.FromMilliseconds(bo.GetProperty("m").GetDouble()),
            bo.GetProperty("j").GetDouble());
    }

    private static string? Str(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (int)v.GetDouble() : 0;

    private static long? Long(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : null;
}
