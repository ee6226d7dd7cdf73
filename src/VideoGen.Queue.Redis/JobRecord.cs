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
    /// <summary>How many values the enqueue script takes per job (see <see cref="AddEnqueueArgs"/>).</summary>
    public const int EnqueueFields = 5;

    /// <summary>
    /// Adds one job's enqueue arguments: id; run-at ms when it runs later, else empty; priority as text;
    /// group as <c>=group</c>, empty for none (the tail of its hot string); and its JSON record without the
    /// closing brace, so the script only appends what it assigns (sequence, wait member) and never
    /// decodes or encodes JSON (see enqueue-7.lua).
    /// </summary>
    public static void AddEnqueueArgs(Span<RedisValue> args, EnqueueRequest job, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(job.Id);
        var nowMs = Ms(now);
        var runAt = job.RunAt is { } at ? Ms(at) : nowMs;
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
            w.WriteNumber("r", Math.Max(runAt, nowMs));
            w.WriteNumber("c", nowMs);
            w.WriteEndObject();
        }

        args[0] = job.Id;
        args[1] = runAt > nowMs ? runAt : RedisValue.EmptyString;
        args[2] = job.Priority.ToString(CultureInfo.InvariantCulture);
        args[3] = job.Group is null ? RedisValue.EmptyString : "=" + job.Group;
        args[4] = buffer.WrittenMemory[..^1];
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
