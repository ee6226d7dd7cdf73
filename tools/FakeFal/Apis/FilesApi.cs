using FakeFal.Media;

namespace FakeFal.Apis;

/// <summary>
/// Result files, like fal's CDN: <c>GET /files/{clip}/{request_id}.mp4</c>, no auth, with HTTP
/// range support (browsers and ffprobe seek with ranges).
/// </summary>
public static class FilesApi
{
    public static void MapFilesApi(this WebApplication app)
        => app.MapGet("/files/{clip}/{name}", (string clip, string name, VideoRenderer renderer) =>
        {
            if (!ClipSize.TryParse(clip, out var size) || !name.EndsWith(".mp4", StringComparison.Ordinal))
            {
                return Results.NotFound();
            }

            var path = renderer.PathOf(size);
            return File.Exists(path)
                ? Results.File(path, "video/mp4", fileDownloadName: null, enableRangeProcessing: true)
                : Results.NotFound();
        });
}
