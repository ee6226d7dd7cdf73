using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Apis;

/// <summary>Turns a media key ("videos/abc.mp4") into the URL this server serves it at.</summary>
public sealed class MediaUrls(IOptions<VideoGenOptions> options)
{
    public const string Prefix = "/media/";

    public string For(string key)
    {
        var path = Prefix + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return options.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? baseUrl.TrimEnd('/') + path : path;
    }
}
