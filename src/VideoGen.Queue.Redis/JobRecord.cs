using System.Buffers;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// The JSON record a job is stored as (one field of the queue's <c>jobs</c> hash). Short field names
/// keep the records small; the scripts (see Scripts/_prelude.lua) are the other side of this format.
/// </summary>
internal static class JobRecord
{
    /// <summary>The spec the enqueue script turns into a record (UTF-8 JSON, written without a DOM).</summary>
    public static byte[] Spec(EnqueueRequest job, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(job.Id);
        var buffer = new ArrayBufferWriter<byte>(128 + (job.Payload?.Length ?? 0));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", job.Id);
            w.WriteString("p", job.Payload ?? "");
            w.WriteNumber("pr", job.Priority);
            w.WriteNumber("ma", Math.Max(1, job.MaxAttempts));
            w.WriteStartObject("bo");
            w.WriteNumber("b", job.Backoff.BaseDelay.TotalMilliseconds);
            w.WriteNumber("m", job.Backoff.MaxDelay.TotalMilliseconds);
            w.WriteNumber("j", job.Backoff.Jitter);
            w.WriteEndObject();
            w.WriteNumber("r", Ms(job.RunAt ?? now));
            if (job.Group is not null)
            {
                w.WriteString("g", job.Group);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>How many values the claim scripts return per claimed job (see claimJobs in Scripts/_prelude.lua).</summary>
    public const int ClaimedFields = 10;

    /// <summary>
    /// A claimed job from the claim scripts' flat reply (id, token, payload, group, priority, attempt,
    /// max attempts, backoff base / max / jitter), read without parsing the stored JSON record.
    /// </summary>
    public static ClaimedJob ToClaimed(ReadOnlySpan<RedisResult> f, long leaseExpiresMs) => new()
    {
        Id = (string)f[0]!,
        LeaseToken = (string)f[1]!,
        LeaseExpiresAt = At(leaseExpiresMs),
        Payload = (string?)f[2] ?? "",
        Group = f[3].IsNull ? null : (string?)f[3],
        Priority = (int)f[4],
        Attempt = (int)f[5],
        MaxAttempts = (int)f[6],
        Backoff = f[7].IsNull
            ? BackoffPolicy.Default
            : new BackoffPolicy(TimeSpan.FromMilliseconds(Number(f[7])), TimeSpan.FromMilliseconds(Number(f[8])), Number(f[9])),
    };

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

    /// <summary>A number the scripts sent as text (Lua's tostring), so fractions survive the reply.</summary>
    private static double Number(RedisResult r) => double.Parse((string)r!, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string? Str(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (int)v.GetDouble() : 0;

    private static long? Long(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : null;
}
