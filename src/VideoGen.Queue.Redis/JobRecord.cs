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
    public const int ClaimedFields = 6;

    /// <summary>
    /// A claimed job from the claim scripts' flat reply: id, token, the stored JSON record (payload,
    /// max attempts and backoff are read from it here, so the script never decodes JSON), group,
    /// priority, attempt.
    /// </summary>
    public static ClaimedJob ToClaimed(ReadOnlySpan<RedisResult> f, long leaseExpiresMs)
    {
        var record = (byte[])f[2]!;
        var reader = new Utf8JsonReader(record);
        string? payload = null;
        var maxAttempts = 1;
        double? backoffBase = null, backoffMax = null, backoffJitter = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("p"u8))
            {
                payload = reader.GetString();
            }
            else if (name.SequenceEqual("ma"u8))
            {
                maxAttempts = (int)reader.GetDouble();
            }
            else if (name.SequenceEqual("bo"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var field = reader.ValueSpan[0];
                    reader.Read();
                    if (field == 'b')
                    {
                        backoffBase = reader.GetDouble();
                    }
                    else if (field == 'm')
                    {
                        backoffMax = reader.GetDouble();
                    }
                    else if (field == 'j')
                    {
                        backoffJitter = reader.GetDouble();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new ClaimedJob
        {
            Id = (string)f[0]!,
            LeaseToken = (string)f[1]!,
            LeaseExpiresAt = At(leaseExpiresMs),
            Payload = payload ?? "",
            Group = f[3].IsNull ? null : (string?)f[3],
            Priority = (int)f[4],
            Attempt = (int)f[5],
            MaxAttempts = maxAttempts,
            Backoff = backoffBase is { } b && backoffMax is { } m && backoffJitter is { } j
                ? new BackoffPolicy(TimeSpan.FromMilliseconds(b), TimeSpan.FromMilliseconds(m), j)
                : BackoffPolicy.Default,
        };
    }

    /// <summary>A job as the admin views show it, from its JSON record and its hot fields (see <see cref="HotFields"/>).</summary>
    public static JobInfo ToInfo(string json, string hotFields, double? leaseExpiresMs)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var hot = HotFields.Parse(hotFields);
        return new JobInfo
        {
            Id = Str(r, "id")!,
            State = hot.State,
            Payload = Str(r, "p") ?? "",
            Priority = Int(r, "pr"),
            Group = hot.Group,
            Attempt = hot.Attempt,
            MaxAttempts = Int(r, "ma"),
            CreatedAt = At(Long(r, "c") ?? 0),
            RunAt = At(Long(r, "r") ?? 0),
            StartedAt = hot.StartedMs is { } s ? At(s) : null,
            FinishedAt = hot.FinishedMs is { } f ? At(f) : null,
            Result = Str(r, "res"),
            Error = Str(r, "err"),
            Progress = Str(r, "prog"),
            WorkerId = hot.State == JobState.Active ? hot.WorkerId : null,
            LeaseExpiresAt = hot.State == JobState.Active && leaseExpiresMs is { } e ? At((long)e) : null,
            CancelRequested = hot.CancelRequested,
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
