using Microsoft.Extensions.Logging;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Recovers a paid generation whose submit answer was lost. Such a video fails with
/// <see cref="ProviderErrorTypes.SubmitOutcomeUnknown"/> rather than being sent again (which could pay twice);
/// when the provider then calls back for a request it accepted for that video (a verified webhook whose URL
/// names the video), the request id is attached to the video and it goes back to <c>in_queue</c>, so its job,
/// run again, follows that request to the end instead of submitting anything. Nothing else is changed: a
/// video that has a request id, or failed for another reason, is left alone.
/// </summary>
public sealed class LostSubmitReattacher(IVideoRepository videos, VideoProviderRegistry providers, TimeProvider time, ILogger<LostSubmitReattacher> logger)
{
    /// <summary>The video when it was re-attached to <paramref name="requestId"/> (its job must then run again), else null.</summary>
    public async Task<Video?> TryReattachAsync(string videoId, string providerName, string requestId, CancellationToken ct)
    {
        var video = await videos.FindAsync(videoId, ct);
        if (video is null || video.Status != VideoStatus.Failed || video.ErrorType != ProviderErrorTypes.SubmitOutcomeUnknown
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

        video.Provider = providerName;
        video.ProviderRequestId = handle.RequestId;
        video.ProviderStatusUrl = handle.StatusUrl;
        video.ProviderResponseUrl = handle.ResponseUrl;
        video.ProviderCancelUrl = handle.CancelUrl;
        video.SubmittedAt ??= time.GetUtcNow();
        video.Status = VideoStatus.InQueue;
        video.Error = null;
        video.ErrorType = null;
        video.CompletedAt = null;
        video.UpdatedAt = time.GetUtcNow();
        await videos.SaveAsync(video, ct);
        logger.LogWarning("Video {VideoId}: its submit answer was lost, but {Provider} called back for request {RequestId}; re-attached to it", videoId, providerName, requestId);
        return video;
    }
}
