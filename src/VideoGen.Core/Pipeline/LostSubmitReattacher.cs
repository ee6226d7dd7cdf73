using Microsoft.Extensions.Logging;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Recovers a paid generation whose submit answer was lost. Such a video is <c>submit_unconfirmed</c> (or still
/// <c>submitting</c>, when the worker that sent it died before a run looked at it again, or failed with
/// <see cref="ProviderErrorTypes.SubmitOutcomeUnknown"/> after its window) rather than being sent again at once
/// (which could pay twice); when the provider then calls back for a request it accepted for that video (a verified
/// webhook whose URL names the video), the request id is attached to the video and it goes back to <c>in_queue</c>, so
/// its job, run again, follows that request to the end instead of submitting anything. Nothing else is changed: a
/// video that has a request id, or failed for another reason, is left alone, and a request another video
/// already holds is never taken. A repeated webhook for a
/// video already re-attached to that request returns it unchanged (its job may still need running: the
/// first delivery may have failed after saving the row, and fal delivers again).
/// </summary>
public sealed class LostSubmitReattacher(IVideoRepository videos, VideoProviderRegistry providers, TimeProvider time, ILogger<LostSubmitReattacher> logger)
{
    /// <summary>
    /// The video when it is re-attached to <paramref name="requestId"/> (now, <c>Fresh</c>, or by an earlier delivery);
    /// its job must then run. Null when the video is not one to re-attach.
    /// </summary>
    public async Task<(Video Video, bool Fresh)?> TryReattachAsync(string videoId, string providerName, string requestId, CancellationToken ct)
    {
        // The write is a compare-and-set: when the row changed between the read and the write (e.g. a repeated
        // delivery re-attached it first), it is judged once more as it is now.
        for (var look = 1; ; look++)
        {
            var video = await videos.FindAsync(videoId, ct);
            if (video is not null && video.Status == VideoStatus.InQueue && video.ProviderRequestId == requestId && video.Provider == providerName
                && video.CancelRequestedAt is null)
            {
                return (video, false);
            }

            if (video is null || !IsLostSubmit(video)
                || video.ProviderRequestId is not null || video.CancelRequestedAt is not null
                || (video.Provider is not null && video.Provider != providerName))
            {
                return null;
            }

            if (providers.Find(providerName)?.HandleFor(video.Model, requestId) is not { } handle)
            {
                logger.LogWarning("Video {VideoId}: {Provider} called back for request {RequestId}, which cannot be followed by id; left failed", videoId, providerName, requestId);
                return null;
            }

            if (await videos.IsRequestHeldByAnotherVideoAsync(providerName, handle.RequestId, videoId, ct))
            {
                logger.LogWarning("Video {VideoId}: {Provider} called back for request {RequestId}, which another video holds; left failed", videoId, providerName, requestId);
                return null;
            }

            var expected = StoredVideoState.Of(video);
            video.AttachTo(providerName, handle);
            // The deadline counts from here: the request has ended at the provider (it called back), and a deadline
            // counted from the lost submit could already have passed, throwing a paid result away.
            video.SubmittedAt ??= time.GetUtcNow();
            video.Error = null;
            video.ErrorType = null;
            video.CompletedAt = null;
            video.UpdatedAt = time.GetUtcNow();
            if (await videos.TrySaveAsync(video, expected, ct))
            {
                logger.LogWarning("Video {VideoId}: its submit answer was lost, but {Provider} called back for request {RequestId}; re-attached to it", videoId, providerName, requestId);
                return (video, true);
            }

            if (look == 2)
            {
                return null;
            }
        }
    }

    /// <summary>A video whose submit was sent and whose answer is missing: unconfirmed, mid-submit, or failed for that.</summary>
    private static bool IsLostSubmit(Video video) =>
        video.Status is VideoStatus.SubmitUnconfirmed or VideoStatus.Submitting
        || (video.Status == VideoStatus.Failed && video.ErrorType == ProviderErrorTypes.SubmitOutcomeUnknown);
}
