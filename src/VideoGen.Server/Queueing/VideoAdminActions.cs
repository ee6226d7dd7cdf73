using VideoGen.Core.Providers;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Queueing;

/// <summary>
/// Issue 11, path 5: the admin API's retry and removal act on the video, not only on its job. The job id is the
/// video id; a job with no video row (not a video job) is left to the queue alone.
/// </summary>
/// <remarks>
/// Retry re-opens a failed video with a compare-and-set write, then runs its job again: one with a provider request
/// goes back to <c>in_queue</c> and its run re-attaches to that request (nothing is submitted again; a request the
/// provider no longer knows ends the video <c>request_expired</c>, as after a crash); one never submitted goes back to
/// <c>queued</c> and is submitted (the one paid submit). A video whose submit outcome is unknown is refused (sending
/// it again could pay twice), and so is a canceled one (its owner's cancel stands). Removal of a job that was waiting
/// cancels its unfinished video, and the cancel reaches the provider when the video was submitted.
/// </remarks>
public sealed class VideoAdminActions(
    IVideoRepository videos,
    VideoJobs jobs,
    VideoReconciler reconciler,
    TimeProvider time,
    ILogger<VideoAdminActions> logger)
{
    /// <summary>What the video's message says when an admin removed its job.</summary>
    public const string RemovedMessage = "Canceled by an administrator (its job was removed).";

    /// <summary>
    /// For job <paramref name="id"/>: <see cref="AdminRetry.NotAVideo"/> when no video has that id (retry the job
    /// alone); <see cref="AdminRetry.Refused"/> with the reason when the video must not be re-run; otherwise the
    /// video is re-opened (or already unfinished) and its job runs again: <see cref="AdminRetry.Retried"/>.
    /// </summary>
    public async Task<(AdminRetry Outcome, string? Reason)> RetryAsync(string id, CancellationToken ct)
    {
        for (var look = 1; look <= 3; look++)
        {
            var video = await videos.FindAsync(id, ct);
            if (video is null)
            {
                return (AdminRetry.NotAVideo, null);
            }
            switch (video.Status)
            {
                case VideoStatus.Succeeded:
                    return (AdminRetry.Refused, "The video already succeeded.");
                case VideoStatus.Canceled:
                    return (AdminRetry.Refused, "The video was canceled; a canceled video is not run again.");
                case VideoStatus.Failed when video.ProviderRequestId is null && video.ErrorType == ProviderErrorTypes.SubmitOutcomeUnknown:
                    return (AdminRetry.Refused, "It is unknown whether the provider accepted this video's submit; running it again could pay twice.");
                case VideoStatus.Failed:
                    if (!await ReopenAsync(video, ct))
                    {
                        continue;
                    }
                    break;
            }
            // Unfinished (re-opened now, or a row whose job failed while the row did not): its job runs again.
            await jobs.RunAgainAsync(video, waitForActive: true, ct);
            return (AdminRetry.Retried, null);
        }
        return (AdminRetry.Refused, "The video kept changing while it was being re-opened; try again.");
    }

    /// <summary>
    /// After job <paramref name="id"/> was removed while it was not running: its unfinished video is canceled
    /// (compare-and-set), and a submitted one's cancel is sent to the provider (what fails stays owed and the
    /// reconciler sends it). A finished video, or none, is left alone. Returns true when the video was canceled here.
    /// </summary>
    public async Task<bool> CancelRemovedAsync(string id, CancellationToken ct)
    {
        for (var look = 1; look <= 3; look++)
        {
            var video = await videos.FindAsync(id, ct);
            if (video is null || video.Status.IsTerminal())
            {
                return false;
            }
            var expected = StoredVideoState.Of(video);
            var now = time.GetUtcNow();
            video.Status = VideoStatus.Canceled;
            video.Error = RemovedMessage;
            video.QueuePosition = null;
            video.CompletedAt = now;
            video.UpdatedAt = now;
            if (await videos.TrySaveAsync(video, expected, ct))
            {
                logger.LogWarning("Video {VideoId}: canceled because an administrator removed its job", id);
                await reconciler.SendProviderCancelAsync(id, ct);
                return true;
            }
        }
        logger.LogWarning("Video {VideoId}: its job was removed but the row kept changing, so it was not canceled; the reconciler gives it a job back", id);
        return false;
    }

    /// <summary>Failed → in_queue (it has a provider request to re-attach to) or queued (never submitted), error cleared.</summary>
    private async Task<bool> ReopenAsync(Video video, CancellationToken ct)
    {
        var expected = StoredVideoState.Of(video);
        video.Status = video.ProviderRequestId is null ? VideoStatus.Queued : VideoStatus.InQueue;
        video.Error = null;
        video.ErrorType = null;
        video.CompletedAt = null;
        video.QueuePosition = null;
        video.UpdatedAt = time.GetUtcNow();
        if (!await videos.TrySaveAsync(video, expected, ct))
        {
            return false;
        }
        logger.LogWarning("Video {VideoId}: re-opened by an administrator as {Status}", video.Id, video.Status.ToWire());
        return true;
    }
}

/// <summary>What an admin retry did with the video behind a job.</summary>
public enum AdminRetry
{
    /// <summary>No video has the job's id: only the job is retried.</summary>
    NotAVideo,

    /// <summary>The video was re-opened (or was unfinished) and its job runs again.</summary>
    Retried,

    /// <summary>The video must not run again; nothing was changed.</summary>
    Refused,
}
