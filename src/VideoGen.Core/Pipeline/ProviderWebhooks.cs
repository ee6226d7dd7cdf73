using VideoGen.Core.Providers;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// What a verified provider callback does. A webhook endpoint checks the delivery and hands it here; this decides.
/// A video whose submit answer was lost (it names the video) is re-attached to the request and its job run again
/// (<see cref="LostSubmitReattacher"/>); then the video's job, parked in the queue until its next status check, is
/// promoted to run now (<see cref="IVideoJobs.WakeAsync"/>: the queue store is shared, so this reaches every machine),
/// and a run polling in place is woken in whichever process it runs (<see cref="IProviderSignals"/>). The payload is
/// not trusted for the result: the woken pipeline asks the provider.
/// </summary>
public sealed class ProviderWebhooks(LostSubmitReattacher reattacher, IVideoJobs jobs, IProviderSignals signals)
{
    /// <summary>
    /// Acts on <paramref name="webhook"/>. Throws when a step fails, so the receiver answers with a server error and
    /// the provider delivers again (every step may be repeated).
    /// </summary>
    public async Task AcceptAsync(VerifiedWebhook webhook, CancellationToken ct)
    {
        if (webhook.VideoId is { Length: > 0 } videoId)
        {
            if (await reattacher.TryReattachAsync(videoId, webhook.Provider, webhook.RequestId, ct) is { } reattached)
            {
                await jobs.RunAgainAsync(reattached.Video, waitForActive: reattached.Fresh, ct);
            }

            // The job is parked until its next status check (issue 13): run it now, on whichever worker claims it.
            await jobs.WakeAsync(videoId, ct);
        }

        await signals.SignalAsync(webhook.RequestId, ct);
    }
}
