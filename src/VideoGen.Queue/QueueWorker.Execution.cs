using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    private void StartJob(ClaimedJob job)
    {
        var run = new RunningJob(job);
        _running[job.Id] = run;
        Interlocked.Increment(ref _handlersRunning);
        // Task.Run: a handler that blocks before its first await must not block the claim loop.
        run.Execution = Task.Run(() => ExecuteAsync(run), CancellationToken.None);
    }

    private async Task ExecuteAsync(RunningJob run)
    {
        string? result = null;
        Exception? error = null;
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
            Interlocked.Decrement(ref _handlersRunning);
        }

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
            _wake.Set();
        }
    }

    /// <summary>
    /// Maps the handler's outcome to one store write: return → complete (batched), cancel request →
    /// canceled, shutdown → release, <see cref="PermanentJobException"/> → failed,
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
        else if (run.ShutdownRequested)
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
