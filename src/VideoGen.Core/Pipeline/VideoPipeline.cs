using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Slots;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Runs one video through submit → await → ingest → done. Resumable and idempotent: each step's
/// output is saved on the Video row before the next step starts, and a step whose output is
/// already on the row is skipped — above all, a video with a provider request id is never
/// submitted again; a re-run re-attaches to that request (DESIGN promise 4). Every run ends with
/// the row terminal (succeeded, failed with a reason, canceled) or throws a retryable error while
/// attempts remain; on the last attempt a retryable error also fails the video — except once the
/// video is paid for (a request id is saved): then transient failures use no attempts and only the
/// video's deadline ends the wait (issue 11, path 2; docs/reliability.md).
/// </summary>
public sealed partial class VideoPipeline(
    IVideoRepository videos,
    ModelCatalog catalog,
    VideoProviderRegistry providers,
    VideoIngestor ingestor,
    IProviderSignals signals,
    SubmitThrottle submits,
    IOptions<PipelineOptions> options,
    IOptions<PublicUrlOptions> publicUrls,
    WebhookTokens webhookTokens,
    TimeProvider time,
    ILogger<VideoPipeline> logger,
    IProviderSlots? providerSlots = null)
{
    private readonly PipelineOptions _options = options.Value;

    /// <summary>
    /// <see cref="RunAsync"/> without its guard against lost races (<see cref="VideoChangedElsewhereException"/>).
    /// Advances the video as far as it can go. Returns its terminal status. Throws
    /// <see cref="PermanentJobException"/> when the video failed (the row already says why),
    /// <see cref="RetryAfterException"/> when the provider rate-limited us, any other exception
    /// for a retryable failure, and <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> fired (the row is Canceled if a cancel was requested; otherwise it is
    /// left as is so another run resumes it).
    /// </summary>
    private async Task<VideoStatus> RunUnguardedAsync(string videoId, JobContext? job, CancellationToken ct)
    {
        var video = await videos.FindAsync(videoId, ct)
            ?? throw new PermanentJobException($"Video '{videoId}' does not exist.");
        if (video.Status.IsTerminal())
        {
            return video.Status;
        }
        var run = new PipelineRun(video, job);
        var provider = ResolveProvider(video);
        if (video.CancelRequestedAt is not null)
        {
            await CancelVideoAsync(run, provider);
            return video.Status;
        }
        try
        {
            if (provider is null)
            {
                throw new ProviderException(ProviderErrorKind.Permanent, $"No provider serves model '{video.Model}'.", "unknown_model");
            }
            // Saved with the next change of the row, not on its own.
            video.Attempts = job?.Attempt ?? video.Attempts + 1;
            await RunStepsAsync(run, provider, ct);
            return video.Status;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (await WasCancelRequestedAsync(run))
            {
                await CancelVideoAsync(run, provider);
            }
            throw;
        }
        catch (ProviderException ex) when (ex.Kind == ProviderErrorKind.RateLimited)
        {
            var delay = ex.RetryAfter ?? _options.DefaultRateLimitDelay;
            logger.LogInformation("Video {VideoId}: provider rate-limited us; retrying in {Delay}", video.Id, delay);
            throw new RetryAfterException(delay, $"Rate limited by the provider: {ex.Message}");
        }
        catch (ProviderException ex) when (ex.Kind == ProviderErrorKind.Permanent)
        {
            await FailAsync(run, ex.Message, ex.ErrorType ?? "provider_error");
            throw new PermanentJobException(ex.Message, ex);
        }
        catch (IngestException ex) when (!ex.IsTransient)
        {
            await FailAsync(run, ex.Message, ex.ErrorType);
            throw new PermanentJobException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is not (PermanentJobException or RetryAfterException or VideoChangedElsewhereException))
        {
            // (An OperationCanceledException here is not ours — e.g. an HTTP timeout — so it is transient.)
            // Paid for (a request id is saved): wait it out without using an attempt, until the deadline.
            if (video.ProviderRequestId is not null && provider is not null)
            {
                await WaitOutPaidFailureAsync(run, provider, ex);
            }
            // Retryable (transient provider error, network, storage, our own bug): the queue retries
            // with backoff; on the last attempt the video must not stay stuck, so it fails here.
            var reason = ex is ProviderException or IngestException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            if (job is not null && job.IsLastAttempt)
            {
                await FailAsync(run, $"Gave up after {job.Attempt} attempts: {reason}", ex is IngestException ie ? ie.ErrorType : ex is ProviderException pe ? pe.ErrorType ?? "transient_error" : "transient_error");
                throw new PermanentJobException(reason, ex);
            }
            logger.LogWarning(ex, "Video {VideoId}: retryable failure on attempt {Attempt}", video.Id, job?.Attempt);
            throw;
        }
    }

    private IVideoProvider? ResolveProvider(Video video)
    {
        var name = video.Provider ?? catalog.Find(video.Model)?.Provider;
        return providers.Find(name) ?? (video.Provider is null ? providers.FindServing(video.Model) : null);
    }

    private async Task RunStepsAsync(PipelineRun run, IVideoProvider provider, CancellationToken ct)
    {
        var video = run.Video;
        if (video.ResultPath is not null)
        {
            // Ingest finished but the terminal write did not: only that is left.
            await SucceedAsync(run, ct);
            return;
        }
        if (video.ProviderResultUrl is null)
        {
            var handle = video.ProviderRequestId is null
                ? await SubmitAsync(run, provider, ct)
                : HandleOf(video);
            var result = await AwaitResultAsync(run, provider, handle, ct);
            video.ProviderResultUrl = result.VideoUrl.ToString();
            await SaveAsync(run, CancellationToken.None);
        }
        await IngestAsync(run, provider, ct);
    }

    private async Task<ProviderHandle> SubmitAsync(PipelineRun run, IVideoProvider provider, CancellationToken ct)
    {
        var video = run.Video;
        if (video.Status is VideoStatus.Submitting or VideoStatus.SubmitUnconfirmed && !provider.DeduplicatesSubmits
            && await ResolveUnconfirmedAsync(run, provider, ct) is { } found)
        {
            // A submit whose answer was lost: the provider has it, so follow it (VideoPipeline.Unconfirmed.cs).
            return found;
        }
        // Unpaid preparation (e.g. uploading the input image to the provider's storage) runs before
        // the row says "submitting": a failure or crash here leaves no submit of unknown outcome.
        var request = await provider.PrepareAsync(RequestOf(video, WebhookUrlFor(provider, video.Id)), ct);

        await TakeProviderSlotAsync(run, provider, ct);
        using var slot = await submits.EnterAsync(ct);
        var before = MarkSubmitting(video);
        video.Provider = provider.Name;
        await SaveAsync(run, CancellationToken.None);
        await AbandonIfStoppedBeforeSendingAsync(run, before, ct);

        ProviderHandle handle;
        try
        {
            // Not the job's token: a shutdown must not abandon a paid request half-sent. The
            // provider's own timeouts bound this call.
            handle = await provider.SubmitAsync(request, CancellationToken.None);
        }
        catch (ProviderException ex) when (ex.ErrorType != ProviderErrorTypes.SubmitOutcomeUnknown)
        {
            // A definite refusal: nothing was created, so a retry may submit again.
            video.Status = VideoStatus.Queued;
            await SaveAsync(run, CancellationToken.None);
            throw;
        }
        catch (ProviderException ex)
        {
            // Sent, but the answer was lost: the provider may have accepted (and billed) it.
            throw await SubmitUnconfirmedAsync(run, ex.Message);
        }

        // The handle is what makes a re-run re-attach instead of paying again: persist it even if
        // the job's token fired in the meantime.
        video.AttachTo(provider.Name, handle);
        video.SubmittedAt = time.GetUtcNow();
        await SaveAsync(run, CancellationToken.None);
        logger.LogInformation("Video {VideoId} submitted to {Provider} as {RequestId}", video.Id, provider.Name, handle.RequestId);
        return handle;
    }

    /// <summary>What the provider is asked to generate for <paramref name="video"/>.</summary>
    private static ProviderRequest RequestOf(Video video, Uri? webhookUrl) =>
        new(video.Id, video.Model, video.Prompt, video.Seed, video.ParametersJson, video.ImageUrl, video.NegativePrompt, webhookUrl);

    /// <summary>
    /// The provider's callback URL, naming the video: a webhook for a request whose submit answer was lost still
    /// finds its video (see <see cref="LostSubmitReattacher"/>), and carries the video's <see cref="WebhookTokens"/> token, so only
    /// a URL we handed out can name the video. Null for a provider that sends no webhooks.
    /// </summary>
    private Uri? WebhookUrlFor(IVideoProvider provider, string videoId) =>
        publicUrls.Value.PublicBaseUrl is { } baseUrl && provider.SupportsWebhooks
            ? new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"), $"webhooks/{provider.Name}?video={Uri.EscapeDataString(videoId)}&token={webhookTokens.TokenFor(videoId)}")
            : null;

    private static ProviderHandle HandleOf(Video v) =>
        new(v.Provider!, v.Model, v.ProviderRequestId!, v.ProviderStatusUrl, v.ProviderResponseUrl, v.ProviderCancelUrl);

    private async Task IngestAsync(PipelineRun run, IVideoProvider provider, CancellationToken ct)
    {
        var video = run.Video;
        video.Status = VideoStatus.Ingesting;
        video.Progress = 1.0;
        video.QueuePosition = null;
        await SaveAsync(run, ct);

        var media = await ingestor.IngestAsync(video.Id, new Uri(video.ProviderResultUrl!), provider.LocalResultsFolder, ct);
        video.ResultPath = media.VideoKey;
        video.PosterPath = media.PosterKey;
        video.DurationSeconds = media.Probe.DurationSeconds;
        video.Width = media.Probe.Width;
        video.Height = media.Probe.Height;
        video.SizeBytes = media.Probe.SizeBytes;
        video.VideoCodec = media.Probe.VideoCodec;
        await SucceedAsync(run, CancellationToken.None);
    }

    private async Task SucceedAsync(PipelineRun run, CancellationToken ct)
    {
        var video = run.Video;
        video.Status = VideoStatus.Succeeded;
        video.Progress = 1.0;
        video.Error = null;
        video.ErrorType = null;
        video.CompletedAt = time.GetUtcNow();
        await SaveAsync(run, ct);
        logger.LogInformation("Video {VideoId} succeeded", video.Id);
    }
}
