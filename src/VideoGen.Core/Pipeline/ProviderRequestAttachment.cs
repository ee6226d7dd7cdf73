using VideoGen.Core.Providers;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Ties a video to the provider request that generates it, however that request was learned: the submit's answer,
/// a webhook for a submit whose answer was lost, or the provider's request list. The handle is what makes a re-run
/// re-attach instead of paying again.
/// </summary>
internal static class ProviderRequestAttachment
{
    /// <summary>
    /// Saves the request's handle on <paramref name="video"/> and moves it to <c>in_queue</c>. The owner is charged here,
    /// once, not at creation: the estimated cost becomes the spend, dated by <see cref="Video.SubmittedAt"/> (daily
    /// budgets and the spend shown to users read it). The caller sets <see cref="Video.SubmittedAt"/>.
    /// </summary>
    public static void AttachTo(this Video video, string provider, ProviderHandle handle)
    {
        video.Provider = provider;
        video.ProviderRequestId = handle.RequestId;
        video.ProviderStatusUrl = handle.StatusUrl;
        video.ProviderResponseUrl = handle.ResponseUrl;
        video.ProviderCancelUrl = handle.CancelUrl;
        video.SpentCostUsd ??= video.EstimatedCostUsd;
        video.Status = VideoStatus.InQueue;
    }
}
