using System.Net;
using System.Text;
using System.Text.Json;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Turns fal's HTTP answers into classified <see cref="ProviderException"/>s: 422/400 (validation, content policy)
/// are permanent with fal's own reason for the user; 401/403 are permanent without echoing anything secret;
/// 429 is rate-limited with Retry-After; 408/5xx are transient.
/// </summary>
internal static class FalErrors
{
    private const int MaxBodyChars = 64 * 1024;
    private const int MaxMessageChars = 500;

    public static async Task<ProviderException> FromResponseAsync(HttpResponseMessage response, string operation, TimeProvider time, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
        var (detail, type) = ParseDetail(body);

        return status switch
        {
            401 or 403 => new ProviderException(ProviderErrorKind.Permanent, $"fal key rejected (HTTP {status}) during {operation}.", FalErrorTypes.Unauthorized),
            422 => new ProviderException(ProviderErrorKind.Permanent, detail ?? $"fal rejected the request (HTTP 422) during {operation}.", type ?? FalErrorTypes.Validation),
            404 or 410 => new ProviderException(ProviderErrorKind.Permanent, $"fal no longer knows this request (HTTP {status}) during {operation}; results expire after a while.", FalErrorTypes.Expired),
            429 => new ProviderException(ProviderErrorKind.RateLimited, $"fal rate limit (HTTP 429) during {operation}.", FalErrorTypes.RateLimited, RetryAfter(response, time)),
            408 or >= 500 => new ProviderException(ProviderErrorKind.Transient, $"fal unavailable (HTTP {status}) during {operation}.", FalErrorTypes.Transient, RetryAfter(response, time)),
            _ => new ProviderException(ProviderErrorKind.Permanent, detail ?? $"fal refused the request (HTTP {status}) during {operation}.", type ?? $"http_{status}"),
        };
    }

    public static ProviderException Transport(string operation, Exception inner) =>
        new(ProviderErrorKind.Transient, $"fal unreachable during {operation}: {Shorten(inner.GetType().Name)}.", FalErrorTypes.Transient, inner: inner);

    public static ProviderException BadResponse(string operation, string what, Exception? inner = null) =>
        new(ProviderErrorKind.Transient, $"fal sent an unreadable answer during {operation}: {what}.", FalErrorTypes.BadResponse, inner: inner);

    /// <summary>Delta or date form; a date is measured against the injected clock. Null when absent or already past.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>
    /// fal error bodies: <c>{"detail":"msg"}</c>, <c>{"detail":[{"loc":[…],"msg":"…","type":"…"}]}</c>,
    /// or <c>{"error":"…","error_type":"…"}</c>. Returns a short user-facing message and a machine type.
    /// </summary>
    internal static (string? Message, string? Type) ParseDetail(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? type = root.TryGetProperty("error_type", out var et) && et.ValueKind == JsonValueKind.String ? et.GetString() : null;
            if (root.TryGetProperty("detail", out var detail))
            {
                switch (detail.ValueKind)
                {
                    case JsonValueKind.String:
                        return (Shorten(detail.GetString()), type);
                    case JsonValueKind.Array:
                        var parts = new List<string>();
                        foreach (var item in detail.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.String)
                            {
                                parts.Add(item.GetString()!);
                                continue;
                            }

                            if (item.ValueKind != JsonValueKind.Object)
                            {
                                continue;
                            }

                            var msg = item.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                            var field = FieldOf(item);
                            type ??= item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                            if (msg is not null)
                            {
                                parts.Add(field is null ? msg : $"{field}: {msg}");
                            }
                        }

                        return (parts.Count == 0 ? null : Shorten(string.Join("; ", parts)), type);
                    case JsonValueKind.Object:
                        var inner = detail.TryGetProperty("msg", out var im) && im.ValueKind == JsonValueKind.String ? im.GetString()
                            : detail.TryGetProperty("message", out var imm) && imm.ValueKind == JsonValueKind.String ? imm.GetString() : null;
                        return (Shorten(inner), type);
                }
            }

            foreach (var name in new[] { "error", "message" })
            {
                if (root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String)
                {
                    return (Shorten(e.GetString()), type);
                }
            }

            return (null, type);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? FieldOf(JsonElement item)
    {
        if (!item.TryGetProperty("loc", out var loc) || loc.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        // fal prefixes locations with "body"; the user knows the field by its own name.
        var names = loc.EnumerateArray()
            .Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ToString())
            .Where(x => !string.IsNullOrEmpty(x) && x != "body")
            .ToList();
        return names.Count == 0 ? null : string.Join('.', names);
    }

    internal static string? Shorten(string? text)
    {
        if (text is null)
        {
            return null;
        }

        text = text.Trim();
        return text.Length <= MaxMessageChars ? text : string.Concat(text.AsSpan(0, MaxMessageChars), "…");
    }

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxBodyChars];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
            return new string(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }
    }

    public static bool IsSuccess(HttpStatusCode code) => (int)code is >= 200 and < 300;
}
