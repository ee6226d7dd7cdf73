using Microsoft.Extensions.Logging;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

public sealed partial class VideoPipeline
{
    /// <summary>
    /// Waits for the provider's result. A run of a queued job parks it instead of waiting (see
    /// <see cref="CheckOnceOrParkAsync"/>); a run without a job (or with <see cref="PipelineOptions.ParkWhileWaiting"/>
    /// off) polls in place (<see cref="PollUntilDoneAsync"/>).
    /// </summary>
    private Task<ProviderResult> AwaitResultAsync(PipelineRun run, IVideoProvider provider, ProviderHandle handle, CancellationToken ct) =>
        run.Job is not null && _options.ParkWhileWaiting
            ? CheckOnceOrParkAsync(run, provider, handle, ct)
            : PollUntilDoneAsync(run, provider, handle, ct);

    /// <summary>
    /// Polls (woken early by signals) until the provider finishes, fails, forgets the request or the deadline passes.
    /// Transient failures of the status or result call are waited out here, backing off, until the deadline.
    /// </summary>
    private async Task<ProviderResult> PollUntilDoneAsync(PipelineRun run, IVideoProvider provider, ProviderHandle handle, CancellationToken ct)
    {
        var video = run.Video;
        var deadlineAt = (video.SubmittedAt ?? time.GetUtcNow()) + _options.Deadline;
        var interval = _options.PollInterval;
        for (var polls = 0L; ; polls++)
        {
            ct.ThrowIfCancellationRequested();
            if (time.GetUtcNow() >= deadlineAt)
            {
                await DeadlineExceededAsync(run, provider, handle);
            }

            ProviderStatus status;
            ProviderResult? result = null;
            try
            {
                status = await provider.GetStatusAsync(handle, ct);
                if (status.Phase == ProviderPhase.Completed)
                {
                    result = await provider.GetResultAsync(handle, ct);
                }
            }
            catch (Exception ex) when (IsTransientWhilePaid(ex, ct))
            {
                // Paid for: a transient failure only lengthens the wait; the deadline ends it (issue 11, path 2).
                logger.LogWarning(ex, "Video {VideoId}: transient failure while awaiting the provider; polling on until the deadline", video.Id);
                await signals.WaitAsync(handle.RequestId, WaitAfterTransient(ex, interval, deadlineAt - time.GetUtcNow()), ct);
                interval = TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, (long)(interval.Ticks * _options.PollBackoffFactor)));
                continue;
            }
            if (await ApplyPhaseAsync(run, status, result, ct) is { } done)
            {
                return done;
            }

            var remaining = deadlineAt - time.GetUtcNow();
            var wait = Jitter(interval);
            await signals.WaitAsync(handle.RequestId, remaining < wait ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : wait, ct);
            interval = TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, (long)(interval.Ticks * _options.PollBackoffFactor)));
        }
    }

    /// <summary>
    /// Acts on one status answer: saves status, position and progress; returns the result when the provider is done
    /// (null while it works on); throws a permanent <see cref="ProviderException"/> when it failed or forgot the request.
    /// </summary>
    private async Task<ProviderResult?> ApplyPhaseAsync(PipelineRun run, ProviderStatus status, ProviderResult? result, CancellationToken ct)
    {
        switch (status.Phase)
        {
            case ProviderPhase.InQueue:
            case ProviderPhase.InProgress:
                await ApplyStatusAsync(run, status, ct);
                return null;
            case ProviderPhase.Completed:
                await ApplyStatusAsync(run, status, ct);
                return result!;
            case ProviderPhase.Failed:
                ApplyLogs(run.Video, status);
                throw new ProviderException(ProviderErrorKind.Permanent, status.Error ?? "The provider reported a failure without a reason.", status.ErrorType ?? "provider_failed");
            case ProviderPhase.NotFound:
                throw new ProviderException(
                    ProviderErrorKind.Permanent,
                    "The provider request expired or is unknown to the provider; it was not resubmitted, to avoid paying twice.",
                    "request_expired");
            default:
                throw new InvalidOperationException($"Unknown provider phase {status.Phase}.");
        }
    }

    private TimeSpan Jitter(TimeSpan interval)
    {
        var spread = _options.PollJitter * (Random.Shared.NextDouble() * 2 - 1);
        return TimeSpan.FromTicks(Math.Max(1, (long)(interval.Ticks * (1 + spread))));
    }

    /// <summary>Writes status/position/progress/logs only when something changed.</summary>
    private async Task ApplyStatusAsync(PipelineRun run, ProviderStatus status, CancellationToken ct)
    {
        var video = run.Video;
        var before = (video.Status, video.QueuePosition, video.Progress, video.LogsExcerpt);
        switch (status.Phase)
        {
            case ProviderPhase.InQueue:
                video.Status = VideoStatus.InQueue;
                video.QueuePosition = status.QueuePosition;
                break;
            case ProviderPhase.InProgress:
                video.Status = VideoStatus.Generating;
                video.QueuePosition = null;
                if (status.Progress is { } p)
                {
                    video.Progress = Math.Round(Math.Clamp(p, 0, 1), 3);
                }
                break;
            case ProviderPhase.Completed:
                video.QueuePosition = null;
                video.Progress = 1.0;
                break;
        }
        ApplyLogs(video, status);
        if (before != (video.Status, video.QueuePosition, video.Progress, video.LogsExcerpt))
        {
            await SaveAsync(run, ct);
        }
    }

    private void ApplyLogs(Video video, ProviderStatus status)
    {
        if (LogsExcerpt.From(status.Logs, _options.LogsExcerptMaxLines, _options.LogsExcerptMaxChars) is { } logs)
        {
            video.LogsExcerpt = logs;
        }
    }

    private async Task DeadlineExceededAsync(PipelineRun run, IVideoProvider provider, ProviderHandle handle)
    {
        using (var cts = new CancellationTokenSource(_options.CleanupTimeout))
        {
            try
            {
                await provider.CancelAsync(handle, cts.Token);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Video {VideoId}: cancel at the provider after the deadline failed", run.Video.Id);
            }
        }
        var message = $"Deadline exceeded: the video did not finish within {_options.Deadline} of submission, so it was canceled at the provider.";
        throw new ProviderException(ProviderErrorKind.Permanent, message, "deadline_exceeded");
    }

    /// <summary>Re-reads the row: the token fires both for a cancel request and for shutdown / lost lease.</summary>
    private async Task<bool> WasCancelRequestedAsync(PipelineRun run)
    {
        try
        {
            using var cts = new CancellationTokenSource(_options.CleanupTimeout);
            var fresh = await videos.FindAsync(run.Video.Id, cts.Token);
            if (fresh?.CancelRequestedAt is { } at)
            {
                run.Video.CancelRequestedAt = at;
                return true;
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Video {VideoId}: could not re-read the row after cancellation", run.Video.Id);
        }
        return run.Video.CancelRequestedAt is not null;
    }

    private async Task CancelVideoAsync(PipelineRun run, IVideoProvider? provider)
    {
        var video = run.Video;
        using var cts = new CancellationTokenSource(_options.CleanupTimeout);
        if (provider is not null && video.ProviderRequestId is not null && video.ProviderResultUrl is null)
        {
            try
            {
                var accepted = await provider.CancelAsync(HandleOf(video), cts.Token);
                // Answered: the server's reconciler need not send it again (it retries when this throws).
                video.ProviderCanceledAt = time.GetUtcNow();
                logger.LogInformation("Video {VideoId}: cancel sent to {Provider} (accepted: {Accepted})", video.Id, provider.Name, accepted);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Video {VideoId}: cancel at the provider failed", video.Id);
            }
        }
        video.Status = VideoStatus.Canceled;
        video.QueuePosition = null;
        video.CompletedAt = time.GetUtcNow();
        await SaveAsync(run, cts.Token);
    }

    private async Task FailAsync(PipelineRun run, string reason, string errorType)
    {
        var video = run.Video;
        video.Status = VideoStatus.Failed;
        video.Error = reason.Length > 2000 ? reason[..2000] : reason;
        video.ErrorType = errorType;
        video.QueuePosition = null;
        video.CompletedAt = time.GetUtcNow();
        using var cts = new CancellationTokenSource(_options.CleanupTimeout);
        await SaveAsync(run, cts.Token);
        logger.LogWarning("Video {VideoId} failed ({ErrorType}): {Reason}", video.Id, errorType, video.Error);
    }

    /// <summary>
    /// Persists the row if it is still as this run last saw it (compare-and-set), then tells live listeners when
    /// status, progress or position changed. Throws <see cref="VideoChangedElsewhereException"/> when another run
    /// or process changed the row's status or request id meanwhile: nothing was written, and the run must stop.
    /// </summary>
    private async Task SaveAsync(PipelineRun run, CancellationToken ct)
    {
        var video = run.Video;
        video.UpdatedAt = time.GetUtcNow();
        if (!await videos.TrySaveAsync(video, run.Stored, ct))
        {
            throw new VideoChangedElsewhereException(video.Id, run.Stored);
        }
        run.Stored = StoredVideoState.Of(video);
        await ReleaseProviderSlotIfDoneAsync(run);
        var progress = new VideoProgress(video.Status.ToWire(), video.Progress, video.QueuePosition);
        if (run.Job is not null && progress != run.LastReported)
        {
            run.LastReported = progress;
            try
            {
                await run.Job.ReportProgressAsync(progress.ToJson(), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Video {VideoId}: progress report failed", video.Id);
            }
        }
    }

    private sealed class PipelineRun(Video video, JobContext? job)
    {
        public Video Video { get; } = video;
        public JobContext? Job { get; } = job;

        /// <summary>True when the row had a provider request id as this run began: the submit was an earlier run's.</summary>
        public bool SubmittedBefore { get; } = video.ProviderRequestId is not null;

        /// <summary>The row's state as this run last read or saved it: the condition of its next write.</summary>
        public StoredVideoState Stored { get; set; } = StoredVideoState.Of(video);
        public VideoProgress? LastReported { get; set; }

        /// <summary>This run took (or found) the video's provider slot.</summary>
        public bool HoldsSlot { get; set; }

        /// <summary>This run gave the provider slot back already.</summary>
        public bool SlotReleased { get; set; }
    }
}
