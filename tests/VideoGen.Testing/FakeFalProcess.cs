using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoGen.Testing;

/// <summary>
/// tools/FakeFal (from its own build output) as a real process on an OS-chosen 127.0.0.1 port, read
/// from its "Now listening on" line, with its control API (<c>/_fake/*</c>). Killed on dispose.
/// </summary>
public sealed partial class FakeFalProcess : IAsyncDisposable
{
    private FakeFalProcess(ChildProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
        Control = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public Uri JwksUrl => new(BaseUrl, "/.well-known/jwks.json");

    public ChildProcess Process { get; }

    /// <summary>A client of <see cref="BaseUrl"/> without credentials (the control API needs none).</summary>
    public HttpClient Control { get; }

    /// <summary>Starts FakeFal with <c>--FakeFal:…</c> settings (e.g. <c>"Queue:InProgress", "00:00:02"</c>).</summary>
    public static async Task<FakeFalProcess> StartAsync(params (string Key, string Value)[] settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information" };
        args.AddRange(settings.Select(s => $"--FakeFal:{s.Key}={s.Value}"));
        var process = ChildProcess.Start("FakeFal", RepoPaths.FakeFalDll, args);
        try
        {
            var match = await process.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(60), "FakeFal's 'Now listening on' line");
            return new FakeFalProcess(process, new Uri(match.Groups[1].Value));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deep-merges <paramref name="json"/> into FakeFal's options (camelCase, e.g. <c>{"queue":{"inProgress":"00:00:30"}}</c>).</summary>
    public async Task ConfigureAsync(string json)
    {
        using var response = await Control.PostAsync("/_fake/config", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"FakeFal refused config {json}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>Back to the options it started with; forgets requests and stats.</summary>
    public async Task ResetAsync()
    {
        using var response = await Control.PostAsync("/_fake/reset", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<JsonElement> StatsAsync(bool requests = true)
    {
        var text = await Control.GetStringAsync(requests ? "/_fake/stats" : "/_fake/stats?requests=false", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Submissions FakeFal counted under the idempotency key (the video id); 0 when never submitted.</summary>
    public static int SubmissionsFor(JsonElement stats, string videoId) =>
        stats.GetProperty("submissions").GetProperty("by_idempotency_key").TryGetProperty(videoId, out var n) ? n.GetInt32() : 0;

    /// <summary>The request id FakeFal gave the submit carrying <paramref name="videoId"/> as idempotency key, or null.</summary>
    public static string? RequestIdFor(JsonElement stats, string videoId)
    {
        foreach (var r in stats.GetProperty("by_request_id").EnumerateObject())
        {
            if (r.Value.TryGetProperty("idempotency_key", out var key) && key.GetString() == videoId)
            {
                return r.Name;
            }
        }
        return null;
    }

    /// <summary>Makes FakeFal treat the request as expired (status 404 from now on).</summary>
    public async Task ExpireAsync(string requestId)
    {
        using var response = await Control.PostAsync($"/_fake/requests/{requestId}/expire", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Process.DisposeAsync();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
