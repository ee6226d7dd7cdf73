using Microsoft.AspNetCore.Http.HttpResults;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Accounts;
using VideoGen.Server.Housekeeping;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>DELETE /api/videos/{id}</c>: removes a finished video, its stored video and poster, and its
/// row (204). An unfinished one is refused (409: cancel it first); one that does not exist or
/// belongs to someone else is 404.
/// </summary>
public static class DeleteVideoApi
{
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteVideo(
        string id, CurrentOwner owner, AppDbContext db, VideoDeletion deletion, CancellationToken ct)
    {
        var video = await VideosApi.FindAsync(db, id, owner, ct, tracked: true);
        if (video is null)
        {
            return VideosApi.NotFound(id);
        }
        if (!video.Status.IsTerminal())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Video not finished",
                detail: $"Video {id} is {video.Status.ToWire()}; cancel it first (POST /api/videos/{id}/cancel), then delete it once it is canceled.");
        }
        await deletion.DeleteAsync(db, video, ct);
        return TypedResults.NoContent();
    }
}
