using VideoGen.Core.Models;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using VideoGen.Server.Options;

namespace VideoGen.Server.Security;

/// <summary>
/// Refuses state-changing API requests (POST, PUT, PATCH, DELETE under <c>/api</c> and <c>/v1</c>) that a browser
/// sent on behalf of another site: a page the operator visits could otherwise pause the queue, cancel videos or
/// create paid ones with a <c>no-cors</c> form post, which needs no preflight. A request is refused (403) when
/// <c>Sec-Fetch-Site</c> says <c>cross-site</c> or <c>same-site</c> (another port or sub-domain is another
/// origin), or when it carries an <c>Origin</c> that is not one this server is served at. Clients that are not
/// browsers send neither header and pass. Bodies must be JSON (415 otherwise) unless the endpoint declares
/// what it accepts (<c>.Accepts(...)</c>, e.g. multipart uploads), so the content types a cross-site form can
/// send without a preflight never reach a JSON handler. Server-to-server routes (<c>/webhooks/…</c>) are
/// outside these prefixes and authenticate by signature.
/// </summary>
internal sealed class CrossSiteRequestGuard(RequestDelegate next, IOptions<PublicUrlOptions> options)
{
    private static readonly string[] GuardedPrefixes = ["/api", "/v1"];

    private readonly string? _publicOrigin = options.Value.PublicBaseUrl is { IsAbsoluteUri: true } url
        ? url.GetLeftPart(UriPartial.Authority)
        : null;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsStateChanging(request.Method) || !GuardedPrefixes.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }
        if (CrossSiteReason(request) is { } reason)
        {
            return Refuse(context, StatusCodes.Status403Forbidden, "Cross-site request refused", reason);
        }
        if (HasBody(request) && !ContentTypeAccepted(context))
        {
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as JSON with 'Content-Type: application/json'.");
        }
        return next(context);
    }

    internal static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private string? CrossSiteReason(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            return "This API does not accept state-changing requests from pages of other origins.";
        }
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return null;
        }
        if (origins.Count > 1)
        {
            return "The request carries more than one Origin header.";
        }
        var origin = origins.ToString();
        var own = $"{request.Scheme}://{request.Host.Value}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) || (_publicOrigin is not null && string.Equals(origin, _publicOrigin, StringComparison.OrdinalIgnoreCase))
            ? null
            : "The request's Origin is not one this server is served at.";
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool ContentTypeAccepted(HttpContext context)
    {
        var request = context.Request;
        var declared = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        if (declared is null || declared.ContentTypes.Count == 0)
        {
            return request.HasJsonContentType();
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var actual))
        {
            return false;
        }
        return declared.ContentTypes.Any(t => MediaTypeHeaderValue.TryParse(t, out var allowed) && actual.IsSubsetOf(allowed));
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
