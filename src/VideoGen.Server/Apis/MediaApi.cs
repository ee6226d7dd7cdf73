using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using VideoGen.Core.Media;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>GET /media/{**key}</c>: our stored videos and posters, with range requests (the browser
/// seeks with them) and ETag/Last-Modified. Only well-formed keys inside the media store are
/// served; anything else is 404, never a file outside the store. With an object store set to
/// redirect (<c>VideoGen:Media:S3:Serve=redirect</c>), the answer is a 302 to a short-lived
/// presigned URL (the existence of the key is not checked: the store answers 404 itself).
/// </summary>
public static class MediaApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], GetMedia).WithTags("Media");
        return app;
    }

    public static async Task<Results<FileStreamHttpResult, RedirectHttpResult, ProblemHttpResult>> GetMedia(string? key, IMediaStore media, CancellationToken ct)
    {
        try
        {
            MediaKeys.EnsureSafe(key ?? "");
        }
        catch (ArgumentException)
        {
            return NotFound();
        }
        // An object store configured to redirect: the browser fetches (and seeks in) the object itself.
        if (await media.GetReadUrlAsync(key!, ct) is { } url)
        {
            return TypedResults.Redirect(url.AbsoluteUri);
        }
        var stored = await media.OpenReadAsync(key!, ct);
        if (stored is null)
        {
            return NotFound();
        }
        var contentType = ContentTypes.TryGetContentType(key!, out var type) ? type : "application/octet-stream";
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue(stored.Info.ETag);
        // The result disposes the stream once the response is written.
        return TypedResults.Stream(stored.Content, contentType, lastModified: stored.Info.LastModified, entityTag: etag, enableRangeProcessing: true);
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Media not found", detail: "No such media file.");
}
