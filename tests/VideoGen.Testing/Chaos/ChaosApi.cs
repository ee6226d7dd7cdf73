using System.Net;
using System.Text;
using System.Text.Json;

namespace VideoGen.Testing.Chaos;

/// <summary>One video as the API last showed it.</summary>
public sealed record VideoSeen(string Id, string Status, string? ErrorType, string? Error);

/// <summary>
/// The calls a chaos run makes to <c>videogen serve</c> (single-user mode on loopback): create, list
/// everything (cursor paging), cancel. The base address survives API restarts (same port).
/// </summary>
public sealed class ChaosApi(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public const string Model = "fal-ai/kling-video/v2.1/standard/text-to-video";

    public static bool IsTerminal(string status) => status is "succeeded" or "failed" or "canceled";

    /// <summary>
    /// POST /api/videos with <paramref name="idempotencyKey"/>, as a careful client sends it: a retry after a lost answer
    /// gets the first answer back instead of a second video. The new id, or null with the reason when the API did not
    /// accept it (e.g. it was being killed). A 503 naming the video counts as accepted: the row is stored and the
    /// reconciler queues it.
    /// </summary>
    public async Task<(string? Id, string? Refusal)> TryCreateAsync(string prompt, string idempotencyKey, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { prompt, model = Model });
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/videos") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable
                && TryReadId(text, response.StatusCode == HttpStatusCode.Accepted ? "id" : "videoId") is { } id)
            {
                return (id, null);
            }

            return (null, $"{(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (null, e.GetType().Name);
        }
    }

    private static string? TryReadId(string json, string property)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty(property, out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every video (newest first, 100 a page); null when the API did not answer (being restarted).</summary>
    public async Task<List<VideoSeen>?> TryListAsync(CancellationToken ct)
    {
        var all = new List<VideoSeen>();
        string? cursor = null;
        try
        {
            for (var page = 0; page < 10_000; page++)
            {
                var url = cursor is null ? "/api/videos?limit=100" : $"/api/videos?limit=100&cursor={Uri.EscapeDataString(cursor)}";
                using var response = await _http.GetAsync(url, ct);
                if (!response.IsSuccessStatusCode)
                {
                    return null;
                }

                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                foreach (var v in doc.RootElement.GetProperty("items").EnumerateArray())
                {
                    all.Add(new VideoSeen(Text(v, "id")!, Text(v, "status")!, Text(v, "errorType"), Text(v, "error")));
                }

                cursor = doc.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
                if (cursor is null)
                {
                    return all;
                }
            }

            return null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>POST /api/videos/{id}/cancel; the status code, or 0 when the API did not answer.</summary>
    public async Task<int> TryCancelAsync(string id, CancellationToken ct)
    {
        try
        {
            using var response = await _http.PostAsync($"/api/videos/{id}/cancel", null, ct);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return 0;
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
