using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace ClusterDriver;

/// <summary>
/// Whether a finished video is readable and playable through one API host directly: the video row
/// (<c>GET /api/videos/{id}</c>), then its media URL on that host, followed to wherever the host
/// sends it (the object store's presigned URL). The MP4 must come back whole as <c>video/mp4</c> and
/// pass ffprobe; the poster as <c>image/jpeg</c>. Returns the MP4's SHA-256 so hosts can be compared.
/// </summary>
public sealed class MediaChecker(string tempDir)
{
    public sealed record Outcome(bool Ok, string Why, string? Sha256, bool FromObjectStore);

    public async Task<Outcome> CheckAsync(ClusterApi api, string id, Uri objectStore, CancellationToken ct)
    {
        var video = await api.GetVideoAsync(id, ct);
        if (video is not { } v || v.GetProperty("status").GetString() != "succeeded")
        {
            return new(false, "row not readable or not succeeded", null, false);
        }
        if (v.GetProperty("videoUrl").GetString() is not { } videoUrl || v.GetProperty("posterUrl").GetString() is not { } posterUrl)
        {
            return new(false, "no media URLs", null, false);
        }
        var mp4 = await FetchAsync(api, videoUrl, "video/mp4", ct);
        if (mp4.Why is { } bad)
        {
            return new(false, "video: " + bad, null, false);
        }
        var poster = await FetchAsync(api, posterUrl, "image/jpeg", ct);
        if (poster.Why is { } badPoster)
        {
            return new(false, "poster: " + badPoster, null, false);
        }
        var path = Path.Combine(tempDir, $"{id}-{api.BaseUrl.Port}-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, mp4.Bytes!, ct);
        try
        {
            var probe = await FfprobeAsync(path, ct);
            return probe is null
                ? new(true, "", Convert.ToHexString(SHA256.HashData(mp4.Bytes!)), mp4.From!.Authority == objectStore.Authority)
                : new(false, "ffprobe: " + probe, null, false);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The media URL on this host (the row's absolute URL names the public address), followed through redirects.</summary>
    private static async Task<(byte[]? Bytes, Uri? From, string? Why)> FetchAsync(ClusterApi api, string url, string contentType, CancellationToken ct)
    {
        var onHost = new Uri(api.BaseUrl, new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url).PathAndQuery : url);
        try
        {
            using var response = await api.Http.GetAsync(onHost, ct);
            if (!response.IsSuccessStatusCode)
            {
                return (null, null, $"HTTP {(int)response.StatusCode}");
            }
            var type = response.Content.Headers.ContentType?.MediaType;
            if (type != contentType)
            {
                return (null, null, $"content type {type}");
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (bytes.Length == 0 || (response.Content.Headers.ContentLength is { } length && length != bytes.Length))
            {
                return (null, null, $"{bytes.Length} bytes of {response.Content.Headers.ContentLength}");
            }
            return (bytes, response.RequestMessage?.RequestUri, null);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (null, null, e.Message);
        }
    }

    /// <summary>null when ffprobe reads a video stream with a duration; otherwise what it said.</summary>
    private static async Task<string?> FfprobeAsync(string path, CancellationToken ct)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name:format=duration", "-of", "json", path })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ffprobe did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            return (await error).Trim();
        }
        using var doc = JsonDocument.Parse(await output);
        var hasStream = doc.RootElement.TryGetProperty("streams", out var s) && s.GetArrayLength() > 0;
        var hasDuration = doc.RootElement.TryGetProperty("format", out var f) && f.TryGetProperty("duration", out _);
        return hasStream && hasDuration ? null : "no video stream or duration";
    }
}
