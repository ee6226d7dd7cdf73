using VideoGen.Core.Providers;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// What a verified provider callback does. A webhook endpoint checks the delivery and hands it here; this decides.
/// A video whose submit answer was lost (it names the video) is re-attached to the request and its job run again
/// (<see cref="LostSubmitReattacher"/>); then the job waiting on the request is woken in whichever process it runs
/// (<see cref="IProviderSignals"/>). The payload is not trusted for the result: the woken pipeline asks the provider.
/// </summary>
public sealed class ProviderWebhooks(LostSubmitReattacher reattacher, IVideoJobs jobs, IProviderSignals signals)
{
    /// <summary>
    /// Acts on <paramref name="webhook"/>. Throws when a step fails, so the receiver answers with a server error and
    /// the provider delivers again (every step may be repeated).
    /// </summary>
    public async Task AcceptAsync(VerifiedWebhook webhook, CancellationToken ct)
    {
        if (webhook.VideoId is { Length: > 0 } videoId
            && await reattacher.TryReattachAsync(videoId, webhook.Provider, webhook.RequestId, ct) is { } reattached)
        {
            await jobs.RunAgainAsync(reattached.Video, waitForActive: reattached.Fresh, ct);
        }

        await signals.SignalAsync(webhook.RequestId, ct);
    }
}
