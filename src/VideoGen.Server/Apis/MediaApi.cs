using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using VideoGen.Core.Media;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>GET /media/{**key}</c>: our stored videos and posters, with range requests (the browser
/// seeks with them) and ETag/Last-Modified. Only well-formed keys inside the media root are
/// served; anything else is 404, never a file outside the store. Only the store's own folders
/// (<see cref="ServedFolders"/>) are reachable, one level deep, so even a media root pointed at
/// DataDir cannot serve the databases. Every answer carries <c>X-Content-Type-Options: nosniff</c>:
/// a browser never reinterprets a stored file as another type.
/// A file the caller may not see (someone else's
/// video, poster or upload) is 404 too: media is served through an ownership check (docs/security.md says why).
/// The one anonymous read: an uploaded image while a video using it is at the provider (fal fetches it from
/// <c>VideoGen:PublicBaseUrl</c> without credentials); anyone else without credentials gets 401.
/// </summary>
public static class MediaApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The folders of the media store that are served: results, posters, uploaded images.</summary>
    public static IReadOnlyList<string> ServedFolders { get; } = ["videos", "posters", "uploads"];

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        // Anonymous callers reach the handler only to be told to sign in, or for an upload a provider is fetching.
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], GetMedia).WithTags("Media").AllowAnonymous();
        return app;
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetMedia(
        string? key, HttpContext context, IMediaStore media, CurrentOwner owner, AppDbContext db, CancellationToken ct)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        string path;
        try
        {
            MediaKeys.EnsureSafe(key ?? "");
            if (!IsServedKey(key!))
            {
                return NotFound();
            }
            path = media.GetPath(key!);
        }
        catch (ArgumentException)
        {
            return NotFound();
        }
        if (context.User.Identity?.IsAuthenticated != true)
        {
            if (!File.Exists(path) || !await Ownership.IsFetchedByProviderAsync(key!, db, ct))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in", detail: "Media files are served to their owner; sign in or send an API key.");
            }
        }
        else if (!File.Exists(path) || !await Ownership.CanReadMediaAsync(key!, owner, db, ct))
        {
            return NotFound();
        }
        var info = new FileInfo(path);
        var contentType = ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream";
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        return TypedResults.PhysicalFile(path, contentType, lastModified: info.LastWriteTimeUtc, entityTag: etag, enableRangeProcessing: true);
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
