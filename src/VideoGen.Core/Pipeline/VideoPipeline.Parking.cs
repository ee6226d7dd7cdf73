using Microsoft.Extensions.Logging;
using VideoGen.Core.Providers;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Issue 13: a video waiting at the provider holds no worker slot. Each run of its job makes at most one status check
/// and, while the provider works on, parks the job (<see cref="VideoParkedException"/>) until the next check: with
/// webhooks on, the check is only a backstop (<see cref="PipelineOptions.WebhookBackstopInterval"/>) and the webhook
/// promotes the job at once; polling only, the checks follow the poll interval, growing with the time since the
/// submit. Worker concurrency then bounds only the submits and ingests running at once.
/// </summary>
public sealed partial class VideoPipeline
{
    /// <summary>
    /// One status check (none right after this run's own submit: the provider has only just queued it), then the result
    /// when the provider is done, or a park until the next check. The deadline is checked first, as in the polling loop;
    /// a transient failure escapes to the paid-wait handling (<see cref="WaitOutPaidFailureAsync"/>), which also releases
    /// the job without using an attempt.
    /// </summary>
    private async Task<ProviderResult> CheckOnceOrParkAsync(PipelineRun run, IVideoProvider provider, ProviderHandle handle, CancellationToken ct)
    {
        var video = run.Video;
        var deadlineAt = (video.SubmittedAt ?? time.GetUtcNow()) + _options.Deadline;
        if (time.GetUtcNow() >= deadlineAt)
        {
            await DeadlineExceededAsync(run, provider, handle);
        }

        if (run.SubmittedBefore)
        {
            var status = await provider.GetStatusAsync(handle, ct);
            var result = status.Phase == ProviderPhase.Completed ? await provider.GetResultAsync(handle, ct) : null;
            if (await ApplyPhaseAsync(run, status, result, ct) is { } done)
            {
                return done;
            }
        }

        var delay = NextCheckDelay(run, provider, deadlineAt);
        logger.LogDebug("Video {VideoId}: parked at {Provider} until its next status check in {Delay}", video.Id, provider.Name, delay);
        throw new VideoParkedException(video.Id, delay);
    }

    /// <summary>
    /// When to check next. Webhooks on: the backstop interval. Polling only: half the time since the submit (with the
    /// default backoff factor 1.5), between <see cref="PipelineOptions.PollInterval"/> and
    /// <see cref="PipelineOptions.MaxPollInterval"/> — the polling loop's growth, kept without counting checks. Jittered,
    /// and never past the deadline, so the deadline is enforced on time.
    /// </summary>
    private TimeSpan NextCheckDelay(PipelineRun run, IVideoProvider provider, DateTimeOffset deadlineAt)
    {
        var now = time.GetUtcNow();
        TimeSpan delay;
        if (publicUrls.Value.PublicBaseUrl is not null && provider.SupportsWebhooks)
        {
            delay = _options.WebhookBackstopInterval;
        }
        else
        {
            var sinceSubmit = now - (run.Video.SubmittedAt ?? now);
            var grown = (long)(Math.Max(0, sinceSubmit.Ticks) * (_options.PollBackoffFactor - 1));
            delay = TimeSpan.FromTicks(Math.Clamp(grown, _options.PollInterval.Ticks, Math.Max(_options.PollInterval.Ticks, _options.MaxPollInterval.Ticks)));
        }

        delay = Jitter(delay);
        var untilDeadline = deadlineAt - now;
        return untilDeadline < delay ? (untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero) : delay;
    }
}
