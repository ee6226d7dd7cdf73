using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    /// <summary>Runs a started job's handler (its slot is taken) and writes the outcome.</summary>
    private async Task ExecuteAsync(RunningJob run)
    {
        string? result = null;
        Exception? error = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var context = new JobContext(run.Job, _store.QueueName, (progress, ct) => ReportProgressAsync(run, progress, ct));
            result = await _handler.HandleAsync(context, run.Cancellation.Token);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            _claimAhead.HandlerRan(started);
            ReleaseSlot();
        }

        await WriteOutcomeAsync(run, result, error);
    }

    /// <summary>Ends a job that never ran its handler: canceled, given back, or dropped when its lease was lost.</summary>
    private Task SettleAsync(RunningJob run) => WriteOutcomeAsync(run, null, new OperationCanceledException("The job was stopped before its handler started."));

    private async Task WriteOutcomeAsync(RunningJob run, string? result, Exception? error)
    {
        try
        {
            await RecordOutcomeAsync(run, result, error);
        }
        catch (Exception ex)
        {
            // The lease will expire and recovery puts the job back; nothing is lost.
            _logger.LogError(ex, "Worker {WorkerId}: could not record the outcome of job {JobId}", WorkerId, run.Job.Id);
            Forget(run);
        }
        finally
        {
            Finished();
        }
    }

    /// <summary>
    /// Maps the handler's outcome to one store write: return → complete (batched), cancel request →
    /// canceled, release request (stop, or a claimed-ahead job given back) → release, <see cref="PermanentJobException"/> → failed,
    /// <see cref="RetryAfterException"/> → release at now + delay (no attempt burned), anything else →
    /// retry with the job's backoff. A job whose lease was lost is left alone.
    /// </summary>
    private async Task RecordOutcomeAsync(RunningJob run, string? result, Exception? error)
    {
        if (!run.TryFinalize() || run.Lost)
        {
            Forget(run);
            return;
        }

        var job = run.Job;
        if (error is null)
        {
            run.AwaitingCompletionFlush = true;
            _completed.Enqueue((run, new JobCompletion(job.Id, job.LeaseToken, result)));
            return;
        }

        var now = _time.GetUtcNow();
        if (run.CancelRequested)
        {
            await _store.MarkCanceledAsync(run.Lease, "canceled", now, CancellationToken.None);
        }
        else if (run.ReleaseRequested)
        {
            await _store.ReleaseAsync(run.Lease, now, now, CancellationToken.None);
        }
        else if (error is PermanentJobException)
        {
            await _store.FailAsync(new JobFailure(job.Id, job.LeaseToken, Describe(error), Retryable: false, now), now, CancellationToken.None);
        }
        else if (error is RetryAfterException retryAfter)
        {
            var delay = retryAfter.Delay < TimeSpan.Zero ? TimeSpan.Zero : retryAfter.Delay;
            await _store.ReleaseAsync(run.Lease, now + delay, now, CancellationToken.None);
        }
        else
        {
            var retryAt = now + job.Backoff.DelayAfter(job.Attempt, Random.Shared);
            var outcome = await _store.FailAsync(new JobFailure(job.Id, job.LeaseToken, Describe(error), Retryable: true, retryAt), now, CancellationToken.None);
            if (outcome == FailOutcome.Failed)
            {
                _logger.LogWarning(error, "Worker {WorkerId}: job {JobId} failed for good after attempt {Attempt}", WorkerId, job.Id, job.Attempt);
            }
        }

        Forget(run);
    }

    private async Task<bool> ReportProgressAsync(RunningJob run, string progress, CancellationToken ct)
    {
        if (run.Lost)
        {
            return false;
        }

        return await _store.ReportProgressAsync(run.Lease, progress, _time.GetUtcNow(), ct);
    }

    private static string Describe(Exception error) =>
        error is PermanentJobException or RetryAfterException ? error.Message : $"{error.GetType().Name}: {error.Message}";
}
