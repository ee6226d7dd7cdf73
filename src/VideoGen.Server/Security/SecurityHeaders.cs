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

    /// <summary>
    /// The policy of the API reference at <c>/docs</c> (Scalar): its page has one inline module script, allowed by the
    /// per-request nonce Scalar puts on it (never <c>'unsafe-inline'</c> for script); the reference injects its own
    /// style elements, so style is relaxed there only; fonts and images may be data: URIs it bundles. Everything
    /// else (script from this server only, fetches to this server only, no framing) stays as strict as the page's.
    /// </summary>
    public static string ApiReferencePolicy(string? nonce) => string.Join("; ",
        "default-src 'self'",
        nonce is null ? "script-src 'self'" : $"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    /// <summary>Sets the headers just before the response starts, so whatever wrote it (endpoint, static files, error pages) gets them.</summary>
    public void Apply(HttpResponse response)
    {
        response.OnStarting(static state =>
        {
            var (response, policy) = ((HttpResponse, string))state;
            var headers = response.Headers;
            headers.ContentSecurityPolicy = response.HttpContext.Request.Path.StartsWithSegments(Hosting.OpenApiWiring.ReferencePath, StringComparison.OrdinalIgnoreCase)
                ? ApiReferencePolicy(response.HttpContext.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] as string)
                : policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        }, (response, ContentSecurityPolicy));
    }
}
