using Microsoft.Extensions.Logging;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Issue 11, path 6: a submit whose answer was lost is neither failed nor sent again blindly. The video becomes
/// <c>submit_unconfirmed</c> and is resolved: the provider's lookup (where it has one) or a verified webhook
/// (<see cref="LostSubmitReattacher"/>) re-attaches it to the request the provider holds; when neither has proved
/// anything once <see cref="PipelineOptions.SubmitUnconfirmedWindow"/> has passed since the submit started, it is
/// submitted again — once (<see cref="Video.ResubmittedAt"/>); an unconfirmed second submit fails
/// <c>submit_outcome_unknown</c> at the end of its window. docs/reliability.md states the window and the residual risk.
/// </summary>
public sealed partial class VideoPipeline
{
    private const string UnconfirmedNote = "The provider's answer to this video's submit was lost, so it is unknown whether it accepted it.";

    /// <summary>The row's submit bookkeeping before it was marked submitting, to put back when nothing was sent.</summary>
    private readonly record struct BeforeSubmit(VideoStatus Status, DateTimeOffset? SubmitStartedAt, DateTimeOffset? ResubmittedAt);

    /// <summary>Marks the row <c>submitting</c> (not saved): the submit starts now, a second time when it was unconfirmed.</summary>
    private BeforeSubmit MarkSubmitting(Video video)
    {
        var before = new BeforeSubmit(video.Status, video.SubmitStartedAt, video.ResubmittedAt);
        var now = time.GetUtcNow();
        if (video.Status == VideoStatus.SubmitUnconfirmed)
        {
            video.ResubmittedAt = now;
        }
        video.Status = VideoStatus.Submitting;
        video.SubmitStartedAt = now;
        return before;
    }

    /// <summary>
    /// The row says <c>submitting</c> but nothing was sent yet: when the job was stopped (shutdown, lost lease, cancel)
    /// in between, the row is put back as it was and the run stops, so the next run submits as if this one never
    /// started, instead of finding an unknown outcome.
    /// </summary>
    private async Task AbandonIfStoppedBeforeSendingAsync(PipelineRun run, BeforeSubmit before, CancellationToken ct)
    {
        if (!ct.IsCancellationRequested)
        {
            return;
        }
        var video = run.Video;
        video.Status = before.Status;
        video.SubmitStartedAt = before.SubmitStartedAt;
        video.ResubmittedAt = before.ResubmittedAt;
        using var cts = new CancellationTokenSource(_options.CleanupTimeout);
        await SaveAsync(run, cts.Token);
        logger.LogInformation("Video {VideoId}: stopped before its submit was sent; nothing was sent", video.Id);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Records that the submit's answer was lost (<c>submit_unconfirmed</c>) and returns what the run throws: the job is
    /// released (no attempt used) to look again after <see cref="PipelineOptions.SubmitUnconfirmedRecheckInterval"/>.
    /// </summary>
    private async Task<Exception> SubmitUnconfirmedAsync(PipelineRun run, string why)
    {
        var video = run.Video;
        video.Status = VideoStatus.SubmitUnconfirmed;
        video.SubmitStartedAt ??= video.UpdatedAt;
        using (var cts = new CancellationTokenSource(_options.CleanupTimeout))
        {
            await SaveAsync(run, cts.Token);
        }
        logger.LogWarning("Video {VideoId}: submit outcome unknown ({Why}); waiting for a proof before submitting again", video.Id, why);
        return LookAgainLater(video, time.GetUtcNow());
    }

    /// <summary>
    /// Resolves a video left <c>submitting</c> (a worker died between marking it and saving the answer) or
    /// <c>submit_unconfirmed</c>. Returns the handle of the request the provider turned out to hold (the row is
    /// re-attached to it), or null when the video must be submitted again now (the window passed without proof, and it
    /// was not resubmitted before). Otherwise throws: <see cref="RetryAfterException"/> to look again later, or a
    /// permanent <see cref="ProviderException"/> (<c>submit_outcome_unknown</c>) when its second submit is unconfirmed too.
    /// </summary>
    private async Task<ProviderHandle?> ResolveUnconfirmedAsync(PipelineRun run, IVideoProvider provider, CancellationToken ct)
    {
        var video = run.Video;
        if (video.Status == VideoStatus.Submitting)
        {
            video.Status = VideoStatus.SubmitUnconfirmed;
            video.SubmitStartedAt ??= video.UpdatedAt;
            await SaveAsync(run, ct);
            logger.LogWarning("Video {VideoId}: a worker stopped while submitting it; {Note}", video.Id, UnconfirmedNote);
        }

        if (provider.CanFindLostSubmits && await FindLostSubmitAsync(run, provider, ct) is { } handle)
        {
            video.AttachTo(provider.Name, handle);
            // The deadline counts from here, not from the lost submit: fal lists a request once it ended, and a deadline
            // already passed would cancel it and throw its paid result away.
            video.SubmittedAt = time.GetUtcNow();
            await SaveAsync(run, CancellationToken.None);
            logger.LogWarning("Video {VideoId}: {Provider} lists request {RequestId} as its lost submit; re-attached to it", video.Id, provider.Name, handle.RequestId);
            return handle;
        }

        var now = time.GetUtcNow();
        if (now < UnconfirmedDueAt(video))
        {
            throw LookAgainLater(video, now);
        }
        if (video.ResubmittedAt is not null)
        {
            const string reason = "The provider's answers to both submits of this video were lost and nothing proved it has either, "
                + "so it was not sent a third time; check the provider's dashboard.";
            throw new ProviderException(ProviderErrorKind.Permanent, reason, ProviderErrorTypes.SubmitOutcomeUnknown);
        }
        logger.LogWarning(
            "Video {VideoId}: no webhook or lookup proved {Provider} has its submit within {Window} of sending it; submitting it again, once",
            video.Id, provider.Name, _options.SubmitUnconfirmedWindow);
        return null;
    }

    /// <summary>The first request the provider lists as this video's lost submit that no other video holds; null when none (or the lookup failed).</summary>
    private async Task<ProviderHandle?> FindLostSubmitAsync(PipelineRun run, IVideoProvider provider, CancellationToken ct)
    {
        var video = run.Video;
        try
        {
            var sentFrom = video.SubmitStartedAt ?? video.UpdatedAt;
            foreach (var handle in await provider.FindLostSubmitsAsync(RequestOf(video, WebhookUrlFor(provider, video.Id)), sentFrom, ct))
            {
                if (!await videos.IsRequestHeldByAnotherVideoAsync(provider.Name, handle.RequestId, video.Id, ct))
                {
                    return handle;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A lookup proves nothing when it fails; the window still bounds the wait.
            logger.LogWarning(ex, "Video {VideoId}: looking up its lost submit at {Provider} failed", video.Id, provider.Name);
        }
        return null;
    }

    private DateTimeOffset UnconfirmedDueAt(Video video) => (video.SubmitStartedAt ?? video.UpdatedAt) + _options.SubmitUnconfirmedWindow;

    private RetryAfterException LookAgainLater(Video video, DateTimeOffset now)
    {
        var left = UnconfirmedDueAt(video) - now;
        var delay = left < _options.SubmitUnconfirmedRecheckInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : _options.SubmitUnconfirmedRecheckInterval;
        return new RetryAfterException(delay, $"{UnconfirmedNote} Waiting for a webhook or a provider lookup (submitted again after {UnconfirmedDueAt(video):O} without one).");
    }
}
