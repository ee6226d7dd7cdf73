using Microsoft.Extensions.Logging;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Processing;

/// <summary>
/// The heartbeat: renews every lease this worker holds in one store call per
/// <see cref="QueueWorkerOptions.HeartbeatInterval"/>, on its own timer, so a handler that blocks its
/// thread does not stop renewals. The answer names leases lost (their handlers are stopped, their jobs
/// not finished) and cancel requests (the safety net of the <see cref="CancelRequestListener"/>). With a
/// directory it announces the worker at start and on every beat.
/// </summary>
internal sealed class LeaseKeeper(
    IQueueStore store,
    QueueWorkerOptions options,
    TimeProvider time,
    HeldJobs held,
    ReadyJobSettler settler,
    HandlerSlots slots,
    WorkerAnnouncer? announcer,
    ILogger logger)
{
    /// <summary>Beats on every tick of <paramref name="timer"/> (created at start, so a fake clock advanced right after start fires it) until <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(PeriodicTimer timer, CancellationToken ct)
    {
        using var owned = timer;
        try
        {
            await AnnounceAsync();
            while (await timer.WaitForNextTickAsync(ct))
            {
                await RenewOnceAsync();
                await AnnounceAsync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>One renewal of every live lease; failures are logged (leases outlast the interval, so the next beat can still save them).</summary>
    public async Task RenewOnceAsync()
    {
        var leases = held.LiveLeases();
        if (leases.Count == 0)
        {
            return;
        }

        try
        {
            var renewal = await store.ExtendLeasesAsync(options.WorkerId, leases, options.LeaseDuration, time.GetUtcNow(), CancellationToken.None);
            foreach (var id in renewal.Lost)
            {
                if (held.TryGet(id, out var run))
                {
                    logger.LogWarning("Worker {WorkerId}: lease of job {JobId} lost; stopping its handler without finishing it", options.WorkerId, id);
                    run.MarkLost();
                    settler.SettleIfWaiting(run);
                }
            }

            foreach (var id in renewal.CancelRequested)
            {
                if (held.TryGet(id, out var run))
                {
                    run.RequestCancel();
                    settler.SettleIfWaiting(run);
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Worker {WorkerId}: lease renewal failed for {Count} jobs", options.WorkerId, leases.Count);
        }
    }

    private Task AnnounceAsync() => announcer?.AnnounceAsync(slots.Taken) ?? Task.CompletedTask;
}
