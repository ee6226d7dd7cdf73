using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    private async Task StopCoreAsync()
    {
        bool started;
        lock (_lifecycle)
        {
            started = _started;
        }

        if (!started)
        {
            return;
        }

        await _stopClaiming.CancelAsync();
        WakeLanes();
        await _claimingStopped.Task;

        // Jobs claimed but not started go back at once, their attempt not burned; then started handlers
        // get the shutdown timeout to finish.
        ReleaseReady();
        if (Volatile.Read(ref _executing) > 0)
        {
            using var timeout = new CancellationTokenSource();
            var delay = Task.Delay(_options.ShutdownTimeout, _time, timeout.Token);
            var finished = await Task.WhenAny(_executionsDrained.Task, delay);
            await timeout.CancelAsync();
            if (finished == delay)
            {
                await CancelAndReleaseAsync();
            }
        }

        // Let the claim loop flush the last completions, then stop everything.
        await WaitForCompletionFlushAsync();
        await _stopBackground.CancelAsync();
        WakeLanes();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Worker {WorkerId}: a loop failed while stopping", WorkerId);
        }

        // After the heartbeat loop ended, so no late announce re-adds the entry.
        if (_announcer is not null)
        {
            await _announcer.RemoveAsync();
        }

        _logger.LogInformation("Worker {WorkerId} stopped on queue {Queue}", WorkerId, _store.QueueName);
    }

    /// <summary>
    /// Cancels handlers still running after the shutdown timeout; a handler that stops within a short
    /// grace releases its own lease; any other is abandoned and its lease released here, so another
    /// worker resumes the job at once instead of after the lease expires.
    /// </summary>
    private async Task CancelAndReleaseAsync()
    {
        var remaining = _running.Values.Where(r => !r.IsFinalized).ToList();
        foreach (var run in remaining)
        {
            run.RequestRelease();
        }

        using (var grace = new CancellationTokenSource())
        {
            var executions = Task.WhenAll(remaining.Select(r => r.Execution));
            var delay = Task.Delay(CancelGrace, _time, grace.Token);
            await Task.WhenAny(executions, Task.Delay(CancelGrace, grace.Token), delay);
            await grace.CancelAsync();
        }

        foreach (var run in remaining)
        {
            if (!run.TryFinalize())
            {
                continue;
            }

            run.MarkLost();
            try
            {
                var now = _time.GetUtcNow();
                await _store.ReleaseAsync(run.Lease, now, now, CancellationToken.None);
                _logger.LogWarning("Worker {WorkerId}: job {JobId} did not stop in time; its lease was released", WorkerId, run.Job.Id);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Worker {WorkerId}: could not release job {JobId}; it returns when its lease expires", WorkerId, run.Job.Id);
            }

            Forget(run);
        }
    }

    private async Task WaitForCompletionFlushAsync()
    {
        // Bounded: the claim loop flushes within one store call; never wait forever on a broken store.
        for (var i = 0; i < 500 && (!_completed.IsEmpty || _running.Values.Any(r => r.AwaitingCompletionFlush)); i++)
        {
            WakeLanes();
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }
}
