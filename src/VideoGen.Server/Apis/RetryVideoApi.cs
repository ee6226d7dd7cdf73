using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>POST /api/videos/{id}/retry</c>: the owner (or an admin) runs a failed or canceled video again, in place (same id).
/// A failed video is re-opened exactly as the admin retry does (<see cref="VideoAdminActions.RetryAsync"/>): it
/// re-attaches to its provider request when it has one, and one whose submit outcome is unknown is refused (409), as
/// sending it again could pay twice. A canceled video was stopped by its owner, so its provider request (if any) is
/// over: it goes back to <c>queued</c> without it and is submitted anew (one new paid submit), but only once the
/// provider confirmed the old cancel, so two generations never run for one video. Others' videos are 404; a video
/// that is not failed or canceled is 409.
/// </summary>
public static class RetryVideoApi
{
    public static async Task<Results<Accepted<VideoDto>, ProblemHttpResult>> RetryVideo(
        string id,
        AppDbContext db,
        CurrentOwner owner,
        VideoAdminActions admin,
        IVideoRepository videos,
        VideoJobs jobs,
        VideoReconciler reconciler,
        MediaUrls urls,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var video = await VideosApi.FindAsync(db, id, owner, ct);
        if (video is null)
        {
            return VideosApi.NotFound(id);
        }

        string? refusal;
        switch (video.Status)
        {
            case VideoStatus.Failed:
                var (outcome, reason) = await admin.RetryAsync(id, ct);
                refusal = outcome == AdminRetry.Refused ? reason : null;
                break;
            case VideoStatus.Canceled:
                refusal = await RetryCanceledAsync(id, db, videos, jobs, reconciler, time, loggers.CreateLogger(typeof(RetryVideoApi)), ct);
                break;
            default:
                refusal = $"Video {id} is {video.Status.ToWire()}; only failed or canceled videos can be retried.";
                break;
        }
        if (refusal is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Video cannot be retried", detail: refusal);
        }

        var now = await VideosApi.FindAsync(db, id, owner, ct);
        return now is null ? VideosApi.NotFound(id) : TypedResults.Accepted($"/api/videos/{id}", VideoDto.From(now, urls));
    }

    /// <summary>Canceled → queued without its old provider request (compare-and-set), then its job runs again. Null when done; the reason otherwise.</summary>
    private static async Task<string?> RetryCanceledAsync(
        string id, AppDbContext db, IVideoRepository videos, VideoJobs jobs, VideoReconciler reconciler, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        for (var look = 1; look <= 3; look++)
        {
            var video = await videos.FindAsync(id, ct);
            if (video is null)
            {
                return "The video no longer exists.";
            }
            if (video.Status != VideoStatus.Canceled)
            {
                return $"The video is {video.Status.ToWire()} now; only failed or canceled videos can be retried.";
            }
            if (OwesProviderCancel(video))
            {
                // The old generation may still run (and bill) at the provider; stop it before starting another.
                await reconciler.SendProviderCancelAsync(id, ct);
                video = await videos.FindAsync(id, ct);
                if (video is null || OwesProviderCancel(video))
                {
                    return "The provider has not confirmed that this video's earlier generation stopped yet; try again in a minute.";
                }
            }

            if (!await ReopenCanceledAsync(db, video, time.GetUtcNow(), ct))
            {
                continue;
            }
            logger.LogInformation("Video {VideoId}: canceled video retried by its owner; queued for a new submit", id);
            await jobs.RunAgainAsync(video, waitForActive: true, ct);
            return null;
        }
        return "The video kept changing while it was being re-opened; try again.";
    }

    private static bool OwesProviderCancel(Video v) =>
        v.ProviderRequestId is not null && v.ProviderCanceledAt is null && v.ResultPath is null;

    /// <summary>
    /// Back to a fresh queued video in one conditional UPDATE (still canceled, same request id): the request stays,
    /// everything a run wrote is cleared, including the cancel request and the provider's cancel answer, which the
    /// repository's save never clears.
    /// </summary>
    private static async Task<bool> ReopenCanceledAsync(AppDbContext db, Video video, DateTimeOffset now, CancellationToken ct)
    {
        var requestId = video.ProviderRequestId;
        var matched = await db.Videos
            .Where(v => v.Id == video.Id && v.Status == VideoStatus.Canceled && v.ProviderRequestId == requestId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(v => v.Status, VideoStatus.Queued)
                .SetProperty(v => v.Provider, (string?)null)
                .SetProperty(v => v.ProviderRequestId, (string?)null)
                .SetProperty(v => v.ProviderStatusUrl, (string?)null)
                .SetProperty(v => v.ProviderResponseUrl, (string?)null)
                .SetProperty(v => v.ProviderCancelUrl, (string?)null)
                .SetProperty(v => v.ProviderCanceledAt, (DateTimeOffset?)null)
                .SetProperty(v => v.ProviderResultUrl, (string?)null)
                .SetProperty(v => v.SubmittedAt, (DateTimeOffset?)null)
                .SetProperty(v => v.QueuePosition, (int?)null)
                .SetProperty(v => v.Progress, (double?)null)
                .SetProperty(v => v.LogsExcerpt, (string?)null)
                .SetProperty(v => v.Error, (string?)null)
                .SetProperty(v => v.ErrorType, (string?)null)
                .SetProperty(v => v.CompletedAt, (DateTimeOffset?)null)
                .SetProperty(v => v.CancelRequestedAt, (DateTimeOffset?)null)
                .SetProperty(v => v.UpdatedAt, now), ct);
        return matched == 1;
    }
}
