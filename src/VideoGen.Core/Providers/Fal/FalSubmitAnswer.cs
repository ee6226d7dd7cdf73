using System.Text.Json;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Reads a non-2xx answer to a submit. Only fal's own refusal proves that nothing was created: a 4xx or 429 whose
/// body is fal's JSON error (an object with <c>detail</c> or <c>error_type</c>). Everything else — any 5xx (fal's,
/// or a gateway's or CDN's such as 502 or Cloudflare's 520–524), an HTML or empty body, another JSON shape, a 1xx
/// or 3xx — may be a proxy's answer after fal's queue accepted (and will bill) the request, so its outcome is
/// unknown. The table is in this folder's README.
/// </summary>
internal static class FalSubmitAnswer
{
    private const int MaxBodyChars = 64 * 1024;

    /// <summary>True when <paramref name="response"/> (not 2xx) is fal's own definite refusal of the submit.</summary>
    public static async Task<bool> IsFalRefusalAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (status is < 400 or > 499 || !IsJson(response.Content.Headers.ContentType?.MediaType))
        {
            return false;
        }

        return IsFalErrorBody(await ReadBodyAsync(response, ct));
    }

    /// <summary>fal's error bodies: <c>{"detail": …}</c> (string, list or object) or <c>{"error": …, "error_type": …}</c>.</summary>
    internal static bool IsFalErrorBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && (root.TryGetProperty("detail", out var detail) && detail.ValueKind is JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Object
                    || root.TryGetProperty("error_type", out var type) && type.ValueKind == JsonValueKind.String);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the body as text without consuming the content's stream, so the refusal can be read again.</summary>
    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return text.Length <= MaxBodyChars ? text : text[..MaxBodyChars];
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException)
        {
            return null;
        }
    }
}
