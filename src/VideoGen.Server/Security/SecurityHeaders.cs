using VideoGen.Core.Media;
using VideoGen.Core.Models;
using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Security;

/// <summary>
/// The headers every response carries. The Content-Security-Policy allows only this server's own script,
/// style, fetches and media (plus media under <c>VideoGen:PublicBaseUrl</c>, which media URLs name when
/// set, and the object store that media redirects to): no inline script or style, no plugins, no framing. So a prompt that reaches the page as markup
/// cannot run even if a future change renders it unescaped.
/// </summary>
public sealed class SecurityHeaders
{
    public const string ReferrerPolicy = "no-referrer";

    public SecurityHeaders(IOptions<PublicUrlOptions> options, IMediaStore mediaStore)
    {
        var media = "'self'";
        if (options.Value.PublicBaseUrl is { IsAbsoluteUri: true } publicBase)
        {
            media += " " + publicBase.GetLeftPart(UriPartial.Authority);
        }
        foreach (var origin in mediaStore.ReadUrlOrigins)
        {
            media += " " + origin;
        }
        ContentSecurityPolicy = string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            $"img-src {media}",
            $"media-src {media}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    public string ContentSecurityPolicy { get; }

    /// <summary>Sets the headers just before the response starts, so whatever wrote it (endpoint, static files, error pages) gets them.</summary>
    public void Apply(HttpResponse response)
    {
        response.OnStarting(static state =>
        {
            var (headers, policy) = ((IHeaderDictionary, string))state;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        }, (response.Headers, ContentSecurityPolicy));
    }
}
