using Microsoft.Extensions.Logging;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Slots;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Issue 13: provider slots across all machines (<see cref="IProviderSlots"/>). A video takes its slot just before the
/// paid submit; while every slot is taken it stays <c>queued</c> and its job waits in the queue without using an attempt.
/// It gives the slot back as soon as a save shows it no longer occupies the provider.
/// </summary>
public sealed partial class VideoPipeline
{
    /// <summary>Between tries for a free slot; jittered ±50 % so waiting videos do not retry in step.</summary>
    internal static readonly TimeSpan SlotRetryInterval = TimeSpan.FromSeconds(1);

    private async Task TakeProviderSlotAsync(PipelineRun run, IVideoProvider provider, CancellationToken ct)
    {
        if (providerSlots is null)
        {
            return;
        }

        var grant = await providerSlots.TryTakeAsync(run.Video.Id, provider.Name, run.Video.Model, ct);
        if (grant == SlotGrant.Full)
        {
            var wait = TimeSpan.FromTicks((long)(SlotRetryInterval.Ticks * (0.5 + Random.Shared.NextDouble())));
            logger.LogDebug("Video {VideoId}: every {Provider} slot is taken; waiting {Wait} as a queued video", run.Video.Id, provider.Name, wait);
            throw new RetryAfterException(wait, $"Waiting for a free {provider.Name} slot.");
        }

        run.HoldsSlot = grant != SlotGrant.Unlimited;
    }

    /// <summary>
    /// After a save: gives the slot back once the row shows the video no longer occupies the provider (the result is
    /// fetched, the video ended, or the submit was refused and it is queued again). Once per run; a failure is logged,
    /// and the store's reconciliation against the video rows frees the slot later.
    /// </summary>
    private async Task ReleaseProviderSlotIfDoneAsync(PipelineRun run)
    {
        var video = run.Video;
        if (providerSlots is null || run.SlotReleased)
        {
            return;
        }

        var done = video.Status.IsTerminal()
            || video.ProviderResultUrl is not null
            || (run.HoldsSlot && video.ProviderRequestId is null && video.Status == VideoStatus.Queued);
        if (!done)
        {
            return;
        }

        run.SlotReleased = true;
        try
        {
            using var cts = new CancellationTokenSource(_options.CleanupTimeout);
            await providerSlots.ReleaseAsync(video.Id, cts.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Video {VideoId}: could not give back its provider slot; the slot reconciliation will", video.Id);
        }
    }
}
