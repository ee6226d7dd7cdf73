using Microsoft.Extensions.Logging;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Processing;

/// <summary>
/// The order of a graceful stop: stop claiming and wait until no claim is out; give back jobs claimed but
/// not started (attempt intact); give started handlers <see cref="QueueWorkerOptions.ShutdownTimeout"/>,
/// then cancel them and release their leases; let the last completions be written; stop the background
/// loops; remove the worker's announcement.
/// </summary>
internal sealed class WorkerShutdown(
    IQueueStore store,
    QueueWorkerOptions options,
    TimeProvider time,
    CancellationTokenSource stopClaiming,
    CancellationTokenSource stopBackground,
    ClaimLoop claimLoop,
    LaneSignals lanes,
    ReadyJobSettler settler,
    ActiveExecutions executions,
    HeldJobs held,
    PendingCompletions completions,
    WorkerAnnouncer? announcer,
    ILogger logger)
{
    /// <summary>How long canceled handlers get to stop (and release their own leases) before theirs are released here.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    /// <summary>Runs the stop; <paramref name="loops"/> are the worker's loops, all ended when this completes.</summary>
    public async Task StopAsync(IReadOnlyCollection<Task> loops)
    {
        await stopClaiming.CancelAsync();
        lanes.WakeBoth();
        await claimLoop.ClaimingStopped;

        // Jobs claimed but not started go back at once, their attempt not burned; then started handlers
        // get the shutdown timeout to finish.
        settler.GiveBackAll();
        if (executions.Count > 0)
        {
            using var timeout = new CancellationTokenSource();
            var delay = Task.Delay(options.ShutdownTimeout, time, timeout.Token);
            var finished = await Task.WhenAny(executions.Drained, delay);
            await timeout.CancelAsync();
            if (finished == delay)
            {
                await CancelAndReleaseAsync();
            }
        }

        // Let the claim loop flush the last completions, then stop everything.
        await WaitForCompletionFlushAsync();
        await stopBackground.CancelAsync();
        lanes.WakeBoth();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Worker {WorkerId}: a loop failed while stopping", options.WorkerId);
        }

        // After the heartbeat loop ended, so no late announce re-adds the entry.
        if (announcer is not null)
        {
            await announcer.RemoveAsync();
        }
    }

    /// <summary>
    /// Cancels handlers still running after the shutdown timeout; a handler that stops within a short
    /// grace releases its own lease; any other is abandoned and its lease released here, so another
    /// worker resumes the job at once instead of after the lease expires.
    /// </summary>
    private async Task CancelAndReleaseAsync()
    {
        var remaining = held.NotFinalized();
        foreach (var run in remaining)
        {
            run.RequestRelease();
        }

        using (var grace = new CancellationTokenSource())
        {
            var executing = Task.WhenAll(remaining.Select(r => r.Execution));
            var delay = Task.Delay(CancelGrace, time, grace.Token);
            await Task.WhenAny(executing, Task.Delay(CancelGrace, grace.Token), delay);
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
                var now = time.GetUtcNow();
                await store.ReleaseAsync(run.Lease, now, now, CancellationToken.None);
                logger.LogWarning("Worker {WorkerId}: job {JobId} did not stop in time; its lease was released", options.WorkerId, run.Job.Id);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Worker {WorkerId}: could not release job {JobId}; it returns when its lease expires", options.WorkerId, run.Job.Id);
            }

            held.Forget(run);
        }
    }

    private async Task WaitForCompletionFlushAsync()
    {
        // Bounded: the claim loop flushes within one store call; never wait forever on a broken store.
        for (var i = 0; i < 500 && (!completions.IsEmpty || held.AnyAwaitingCompletionFlush()); i++)
        {
            lanes.WakeBoth();
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }
}
