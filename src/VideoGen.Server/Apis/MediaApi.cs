using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using VideoGen.Core.Media;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>GET /media/{**key}</c>: our stored videos and posters, with range requests (the browser
/// seeks with them) and ETag/Last-Modified. Only well-formed keys inside the media store are
/// served; anything else is 404, never a file outside the store. Only the store's own folders
/// (<see cref="ServedFolders"/>) are reachable, one level deep, so even a media root pointed at
/// DataDir cannot serve the databases. Every answer carries <c>X-Content-Type-Options: nosniff</c>:
/// a browser never reinterprets a stored file as another type.
/// A file the caller may not see (someone else's
/// video, poster or upload) is 404 too: media is served through an ownership check (docs/security.md says why).
/// The one anonymous read: an uploaded image while a video using it is at the provider (fal fetches it from
/// <c>VideoGen:PublicBaseUrl</c> without credentials); anyone else without credentials gets 401.
/// Once the caller may read the key, an object store set to redirect (<c>VideoGen:Media:S3:Serve=redirect</c>)
/// answers a 302 to a short-lived presigned URL (the object store then answers 404 itself for a missing
/// object, and sends the Content-Type stored with it); otherwise the bytes are streamed from the store.
/// </summary>
public static class MediaApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The folders of the media store that are served: results, posters, uploaded images.</summary>
    public static IReadOnlyList<string> ServedFolders { get; } = ["videos", "posters", "uploads"];

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        // Anonymous callers reach the handler only to be told to sign in, or for an upload a provider is fetching.
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], GetMedia).WithTags("Media").AllowAnonymous()
            .Describe("GetMedia", "A video, poster or uploaded image", "Served to its owner (and admins); may redirect to the object store. Anonymous callers get 401.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<FileStreamHttpResult, RedirectHttpResult, ProblemHttpResult>> GetMedia(
        string? key, HttpContext context, IMediaStore media, CurrentOwner owner, AppDbContext db, CancellationToken ct)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        try
        {
            MediaKeys.EnsureSafe(key ?? "");
            if (!IsServedKey(key!))
            {
                return NotFound();
            }
        }
        catch (ArgumentException)
        {
            return NotFound();
        }
        if (context.User.Identity?.IsAuthenticated != true)
        {
            if (!await Ownership.IsFetchedByProviderAsync(key!, db, ct) || !await media.ExistsAsync(key!, ct))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in", detail: "Media files are served to their owner; sign in or send an API key.");
            }
        }
        else if (!await Ownership.CanReadMediaAsync(key!, owner, db, ct))
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

    /// <summary>"{folder}/{file}" with folder one of <see cref="ServedFolders"/>; nothing deeper, nothing else.</summary>
    internal static bool IsServedKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && key.IndexOf('/', slash + 1) < 0 && ServedFolders.Contains(key[..slash], StringComparer.Ordinal);
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Media not found", detail: "No such media file.");
}
