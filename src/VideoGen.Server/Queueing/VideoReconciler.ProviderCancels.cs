using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Queueing;

/// <summary>
/// DESIGN promise 5, "cancel reaches the provider", for videos canceled while no worker held their
/// job (waiting between retries, delayed by a rate limit, settled here): the row is canceled at
/// once but the generation may still run, and bill, at the provider. Such a row owes a provider
/// cancel while it has a provider request, no result, and no <see cref="Video.ProviderCanceledAt"/>.
/// The cancel API pays it right away (best effort); every reconcile pass pays what is still owed.
/// Provider cancels are idempotent, so two processes paying the same one at once is harmless.
/// </summary>
public sealed partial class VideoReconciler
{
    /// <summary>Owed provider cancels sent per pass, newest first (those are the ones still generating).</summary>
    public const int ProviderCancelBatchSize = 50;

    /// <summary>
    /// Cancels owed longer than this are given up: any generation has finished or expired at the
    /// provider by then, and a provider this process does not have must not be retried forever.
    /// </summary>
    public static readonly TimeSpan ProviderCancelGiveUpAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// One pass over owed provider cancels; rows canceled less than <paramref name="grace"/> ago
    /// are left to the cancel API, which is paying them right now. Returns how many the providers answered.
    /// </summary>
    public async Task<int> SendOwedProviderCancelsAsync(TimeSpan grace, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = now - grace;
        var oldest = now - ProviderCancelGiveUpAfter;
        List<string> owed;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            owed = await OwingProviderCancel(db.Videos)
                .Where(v => v.CompletedAt != null && v.CompletedAt < cutoff && v.CompletedAt > oldest)
                .OrderByDescending(v => v.CompletedAt)
                .Take(ProviderCancelBatchSize)
                .Select(v => v.Id)
                .ToListAsync(ct);
        }

        var answered = 0;
        foreach (var id in owed)
        {
            if (await SendProviderCancelAsync(id, ct))
            {
                answered++;
            }
        }
        return answered;
    }

    /// <summary>
    /// Sends the provider cancel video <paramref name="videoId"/> owes, if it still owes one, and
    /// records the answer on the row. Returns true when the provider answered (accepted, or had
    /// nothing left to stop, or refused for good). Errors are logged and return false: the cancel
    /// stays owed and the next reconcile pass sends it again. Throws only when <paramref name="ct"/> fires.
    /// </summary>
    public async Task<bool> SendProviderCancelAsync(string videoId, CancellationToken ct)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var video = await OwingProviderCancel(db.Videos).FirstOrDefaultAsync(v => v.Id == videoId, ct);
            if (video is null)
            {
                return false;
            }
            var provider = providers.Find(video.Provider);
            if (provider is null)
            {
                // Another process (one configured with this provider) may pay it; it stays owed.
                logger.LogWarning("Video {VideoId}: provider {Provider} is not configured in this process, so its cancel could not be sent", videoId, video.Provider);
                return false;
            }

            bool accepted;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(pipelineOptions.Value.CleanupTimeout);
                try
                {
                    accepted = await provider.CancelAsync(HandleOf(video), timeout.Token);
                }
                catch (ProviderException ex) when (ex.Kind == ProviderErrorKind.Permanent)
                {
                    // Asking again would get the same answer (e.g. the handle has no cancel URL).
                    logger.LogWarning(ex, "Video {VideoId}: {Provider} refused the cancel for good", videoId, provider.Name);
                    accepted = false;
                }
            }

            video.ProviderCanceledAt = time.GetUtcNow();
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("Video {VideoId}: cancel sent to {Provider} (accepted: {Accepted})", videoId, provider.Name, accepted);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Video {VideoId}: cancel at the provider failed; it will be sent again by the next reconcile pass", videoId);
            return false;
        }
    }

    /// <summary>Canceled rows with a provider request, no result yet, and no answer to a cancel.</summary>
    private static IQueryable<Video> OwingProviderCancel(IQueryable<Video> videos) =>
        videos.Where(v => v.Status == VideoStatus.Canceled
            && v.ProviderRequestId != null
            && v.ProviderResultUrl == null
            && v.ProviderCanceledAt == null);

    private static ProviderHandle HandleOf(Video v) =>
        new(v.Provider!, v.Model, v.ProviderRequestId!, v.ProviderStatusUrl, v.ProviderResponseUrl, v.ProviderCancelUrl);
}
