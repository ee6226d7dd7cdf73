using Microsoft.Extensions.Options;
using VideoGen.Core.Models;

namespace VideoGen.Server.Apis;

/// <summary>Turns a media key ("videos/abc.mp4") into the URL this server serves it at.</summary>
public sealed class MediaUrls(IOptions<PublicUrlOptions> options)
{
    public const string Prefix = "/media/";

    /// <summary><c>VideoGen:PublicBaseUrl</c>: media URLs are absolute under it when set, else relative.</summary>
    public Uri? PublicBaseUrl => options.Value.PublicBaseUrl;

    public string For(string key)
    {
        var path = Prefix + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return PublicBaseUrl is { } baseUrl ? baseUrl.AbsoluteUri.TrimEnd('/') + path : path;
    }
}
