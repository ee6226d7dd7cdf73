using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Writes what became of a held job, once: its handler's outcome (or that it was stopped before it
/// started), and its progress while it runs. A write that fails is logged and the job let go: its
/// lease expires and recovery puts it back, so nothing is lost.
/// </summary>
internal sealed class OutcomeWriter(IQueueStore store, HeldJobs held, PendingCompletions completions, TimeProvider time, ILogger logger, string workerId)
{
    /// <summary>
    /// Maps the outcome to one store write: return → complete (batched, see <see cref="PendingCompletions"/>),
    /// cancel request → canceled, release request (stop, or a claimed-ahead job given back) → release,
    /// <see cref="PermanentJobException"/> → failed, <see cref="RetryAfterException"/> → release at now +
    /// delay (no attempt burned), anything else → retry with the job's backoff. A job whose lease was lost,
    /// or whose outcome someone else writes, is left alone. Never throws.
    /// </summary>
    public async Task WriteAsync(RunningJob run, string? result, Exception? error)
    {
        try
        {
            await WriteOnceAsync(run, result, error);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Worker {WorkerId}: could not record the outcome of job {JobId}", workerId, run.Job.Id);
            held.Forget(run);
        }
    }

    /// <summary>Stores progress (JSON) on a running job; false once its lease is lost.</summary>
    public async Task<bool> ReportProgressAsync(RunningJob run, string progress, CancellationToken ct)
    {
        if (run.Lost)
        {
            return false;
        }

        return await store.ReportProgressAsync(run.Lease, progress, time.GetUtcNow(), ct);
    }

    private async Task WriteOnceAsync(RunningJob run, string? result, Exception? error)
    {
        if (!run.TryFinalize() || run.Lost)
        {
            held.Forget(run);
            return;
        }

        if (error is null)
        {
            // Let go of once the batch is written.
            completions.Add(run, result);
            return;
        }

        var job = run.Job;
        var now = time.GetUtcNow();
        if (run.CancelRequested)
        {
            await store.MarkCanceledAsync(run.Lease, "canceled", now, CancellationToken.None);
        }
        else if (run.ReleaseRequested)
        {
            await store.ReleaseAsync(run.Lease, now, now, CancellationToken.None);
        }
        else if (error is PermanentJobException)
        {
            await store.FailAsync(new JobFailure(job.Id, job.LeaseToken, Describe(error), Retryable: false, now), now, CancellationToken.None);
        }
        else if (error is RetryAfterException retryAfter)
        {
            var delay = retryAfter.Delay < TimeSpan.Zero ? TimeSpan.Zero : retryAfter.Delay;
            await store.ReleaseAsync(run.Lease, now + delay, now, CancellationToken.None);
        }
        else
        {
            var retryAt = now + job.Backoff.DelayAfter(job.Attempt, Random.Shared);
            var outcome = await store.FailAsync(new JobFailure(job.Id, job.LeaseToken, Describe(error), Retryable: true, retryAt), now, CancellationToken.None);
            if (outcome == FailOutcome.Failed)
            {
                logger.LogWarning(error, "Worker {WorkerId}: job {JobId} failed for good after attempt {Attempt}", workerId, job.Id, job.Attempt);
            }
        }

        held.Forget(run);
    }

    private static string Describe(Exception error) =>
        error is PermanentJobException or RetryAfterException ? error.Message : $"{error.GetType().Name}: {error.Message}";
}
