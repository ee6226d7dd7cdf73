using Microsoft.Extensions.Logging;
using VideoGen.Core.Media;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// Issue 11, path 2: once a video has a provider request id it has been paid for, so a run of transient failures
/// must not use up the queue's attempts and abandon it. Inside the poll loop a transient failure only lengthens the
/// wait (backing off to <see cref="PipelineOptions.MaxPollInterval"/>); one that escapes the loop (a failed save, a
/// failed download of the result) releases the job for later without burning an attempt
/// (<see cref="RetryAfterException"/>). Either way the video's deadline (<see cref="PipelineOptions.Deadline"/>,
/// counted from submission) is what ends the wait: past it, a video still waiting on the provider is canceled there
/// and fails <c>deadline_exceeded</c>.
/// </summary>
public sealed partial class VideoPipeline
{
    /// <summary>
    /// True for a failure that may pass if we wait: a transient or rate-limited provider error, or a network,
    /// timeout or I/O error. Not a permanent provider answer, not a lost race, not our own cancellation.
    /// </summary>
    private static bool IsTransientWhilePaid(Exception ex, CancellationToken ct) => ex switch
    {
        VideoChangedElsewhereException or PermanentJobException => false,
        OperationCanceledException when ct.IsCancellationRequested => false,
        ProviderException pe => pe.Kind is ProviderErrorKind.Transient or ProviderErrorKind.RateLimited,
        IngestException ie => ie.IsTransient,
        _ => true,
    };

    /// <summary>The wait after a transient failure in the poll loop: at least the provider's Retry-After, at most until the deadline.</summary>
    private TimeSpan WaitAfterTransient(Exception ex, TimeSpan interval, TimeSpan untilDeadline)
    {
        var wait = Jitter(interval);
        if (ex is ProviderException { RetryAfter: { } retryAfter } && retryAfter > wait)
        {
            wait = retryAfter;
        }
        return untilDeadline < wait ? (untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero) : wait;
    }

    /// <summary>
    /// Called for a retryable failure that escaped the steps of a video that has a provider request id. Before the
    /// deadline: throws <see cref="RetryAfterException"/> (the job runs again later, re-attaching by request id,
    /// without burning an attempt; the delay grows with the time the row has gone unchanged, up to
    /// <see cref="PipelineOptions.MaxPollInterval"/>). Past the deadline, still waiting on the provider: cancels
    /// there and fails the video <c>deadline_exceeded</c>. Past the deadline with the result already at hand (only
    /// its ingest keeps failing): returns, and the queue's attempts count again.
    /// </summary>
    private async Task WaitOutPaidFailureAsync(PipelineRun run, IVideoProvider provider, Exception ex)
    {
        var video = run.Video;
        var now = time.GetUtcNow();
        var deadlineAt = (video.SubmittedAt ?? now) + _options.Deadline;
        if (now < deadlineAt)
        {
            var unchangedFor = now - video.UpdatedAt;
            var delay = TimeSpan.FromTicks(Math.Clamp(unchangedFor.Ticks, _options.PollInterval.Ticks, _options.MaxPollInterval.Ticks));
            if (deadlineAt - now < delay)
            {
                delay = deadlineAt - now;
            }
            logger.LogWarning(ex, "Video {VideoId}: transient failure after the paid submit; trying again in {Delay} without using an attempt", video.Id, delay);
            throw new RetryAfterException(delay, $"Transient failure after the paid submit: {ex.Message}");
        }
        if (video.ProviderResultUrl is null)
        {
            try
            {
                await DeadlineExceededAsync(run, provider, HandleOf(video));
            }
            catch (ProviderException deadline)
            {
                await FailAsync(run, deadline.Message, deadline.ErrorType ?? "deadline_exceeded");
                throw new PermanentJobException(deadline.Message, deadline);
            }
        }
    }
}
