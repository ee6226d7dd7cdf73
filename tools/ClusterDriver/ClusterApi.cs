using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ClusterDriver;

/// <summary>The VideoGen HTTP API of one address (the load balancer or one API host), as the driver uses it.</summary>
public sealed class ClusterApi(Uri baseUrl) : IDisposable
{
    public const string Model = "fal-ai/kling-video/v2.1/standard/text-to-video";

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(3),
    })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(15),
    };

    public Uri BaseUrl => baseUrl;

    public HttpClient Http => _http;

    /// <summary>POST /api/videos; the id when it answered 202, null when refused or unreachable (with the reason).</summary>
    public async Task<(string? Id, string Why)> CreateAsync(string prompt, CancellationToken ct)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync("/api/videos", new { prompt, model = Model }, ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return (null, $"HTTP {(int)response.StatusCode}");
            }
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return (body.GetProperty("id").GetString(), "");
        }
        catch (HttpRequestException e)
        {
            return (null, e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, "timeout");
        }
    }

    /// <summary>GET /api/videos/{id}; null when not found or unreachable.</summary>
    public async Task<JsonElement?> GetVideoAsync(string id, CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync($"/api/videos/{id}", ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(ct) : null;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Every video (all pages of GET /api/videos), or null when a page could not be read.</summary>
    public async Task<List<JsonElement>?> ListAllAsync(CancellationToken ct)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        for (var page = 0; page < 1000; page++)
        {
            var url = "/api/videos?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            try
            {
                var body = await _http.GetFromJsonAsync<JsonElement>(url, ct);
                all.AddRange(body.GetProperty("items").EnumerateArray().Select(v => v.Clone()));
                cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                return null;
            }
            if (cursor is null)
            {
                return all;
            }
        }
        return all;
    }

    /// <summary>The running (active) jobs of the video queue with the worker holding each; null when unreachable.</summary>
    public async Task<List<(string Id, string? WorkerId)>?> ActiveJobsAsync(CancellationToken ct)
    {
        var jobs = new List<(string, string?)>();
        string? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var url = "/api/admin/queues/videos/jobs?state=active&limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            try
            {
                var body = await _http.GetFromJsonAsync<JsonElement>(url, ct);
                foreach (var j in body.GetProperty("items").EnumerateArray())
                {
                    jobs.Add((j.GetProperty("id").GetString()!, j.TryGetProperty("workerId", out var w) ? w.GetString() : null));
                }
                cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                return null;
            }
            if (cursor is null)
            {
                break;
            }
        }
        return jobs;
    }

    /// <summary>When each live worker last announced itself (GET /api/admin/workers); null when unreachable.</summary>
    public async Task<Dictionary<string, DateTimeOffset>?> WorkerHeartbeatsAsync(CancellationToken ct)
    {
        try
        {
            var body = await _http.GetFromJsonAsync<JsonElement>("/api/admin/workers", ct);
            return body.GetProperty("items").EnumerateArray().ToDictionary(
                w => w.GetProperty("workerId").GetString()!, w => w.GetProperty("lastHeartbeat").GetDateTimeOffset(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException || e is JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>GET of a cheap path; the status code (0 when unreachable) and the X-Served-By header HAProxy adds.</summary>
    public async Task<(int Status, string? ServedBy)> ProbeAsync(string path, CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(path, ct);
            return ((int)response.StatusCode, response.Headers.TryGetValues("X-Served-By", out var v) ? v.FirstOrDefault() : null);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (0, null);
        }
    }

    public static bool IsTerminal(string? status) => status is "succeeded" or "failed" or "canceled";

    public void Dispose() => _http.Dispose();
}
