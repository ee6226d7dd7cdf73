using System.Text.Json;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Finds the video in a model's raw output: <c>{"video":{"url":…}}</c> (most models), <c>{"videos":[{"url":…}]}</c>,
/// or a bare <c>"video_url"</c>; fal wraps some outputs once more in <c>"data"</c>/<c>"payload"</c>.
/// </summary>
internal static class FalResultParser
{
    public static ProviderResult Parse(JsonElement root, bool allowLoopback)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var wrapper in new[] { "data", "payload" })
            {
                if (!root.TryGetProperty("video", out _) && root.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object)
                {
                    root = inner;
                }
            }
        }

        var (url, contentType) = Find(root);
        if (url is null)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "fal finished without a video in its result.", FalErrorTypes.NoVideo);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !FalOptionsValidator.IsAllowedUrl(uri, allowLoopback))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "fal's result URL is not an https URL.", FalErrorTypes.NoVideo);
        }

        return new ProviderResult(uri, contentType);
    }

    private static (string? Url, string? ContentType) Find(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        if (root.TryGetProperty("video", out var video))
        {
            if (FromFile(video) is { Url: not null } file)
            {
                return file;
            }
        }

        if (root.TryGetProperty("videos", out var videos) && videos.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in videos.EnumerateArray())
            {
                if (FromFile(item) is { Url: not null } file)
                {
                    return file;
                }
            }
        }

        if (root.TryGetProperty("video_url", out var bare) && bare.ValueKind == JsonValueKind.String)
        {
            return (bare.GetString(), null);
        }

        return (null, null);
    }

    private static (string? Url, string? ContentType) FromFile(JsonElement file) => file.ValueKind switch
    {
        JsonValueKind.String => (file.GetString(), null),
        JsonValueKind.Object when file.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String =>
            (u.GetString(), file.TryGetProperty("content_type", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null),
        _ => (null, null),
    };
}
