using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using VideoGen.Core.Media;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>GET /media/{**key}</c>: our stored videos and posters, with range requests (the browser
/// seeks with them) and ETag/Last-Modified. Only well-formed keys inside the media root are
/// served; anything else is 404, never a file outside the store. Only the store's own folders
/// (<see cref="ServedFolders"/>) are reachable, one level deep, so even a media root pointed at
/// DataDir cannot serve the databases. Every answer carries <c>X-Content-Type-Options: nosniff</c>:
/// a browser never reinterprets a stored file as another type.
/// </summary>
public static class MediaApi
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The folders of the media store that are served: results, posters, uploaded images.</summary>
    public static IReadOnlyList<string> ServedFolders { get; } = ["videos", "posters", "uploads"];

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], GetMedia).WithTags("Media");
        return app;
    }

    public static Results<PhysicalFileHttpResult, ProblemHttpResult> GetMedia(string? key, IMediaStore media, HttpContext context)
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
        if (!File.Exists(path))
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
