using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// The worker's main lane: writes what handlers completed and claims as many jobs as it may hold, in one
/// store call when both are due. It sleeps only when there is nothing to claim, and then until a wake-up
/// (an enqueue, a release, a local handler finishing), the next delayed job, or the idle ceiling. Once
/// claiming stops it keeps writing completions until the worker stops for good.
/// </summary>
internal sealed class ClaimLoop(
    IQueueStore store,
    QueueWorkerOptions options,
    TimeProvider time,
    CompleteAndClaimCalls calls,
    PendingCompletions completions,
    ReadyBuffer ready,
    ReadyJobSettler settler,
    LaneSignals lanes,
    CancellationToken stopping,
    CancellationToken background,
    ILogger logger)
{
    /// <summary>The most jobs a store hands out per claim call (the Redis store's cap): a claim this large is never "short".</summary>
    private const int StoreBatchCapHint = 1000;

    private readonly TaskCompletionSource _claimingStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once claiming has stopped: <c>stopping</c> fired and no claim of either lane is still out,
    /// so every job this worker will ever claim is held.
    /// </summary>
    public Task ClaimingStopped => _claimingStopped.Task;

    public async Task RunAsync()
    {
        var batch = new List<PendingCompletion>();
        var errorDelay = ErrorBackoff.First;
        while (!background.IsCancellationRequested)
        {
            try
            {
                completions.DrainInto(batch);
                var claiming = !stopping.IsCancellationRequested;
                if (!claiming)
                {
                    // Any claim in flight (the second lane's included) has returned and its jobs are held: stop can count them.
                    ClaimingStoppedIfQuiet();
                }

                // Leased jobs the worker may hold: one per slot, plus some claimed ahead while handlers are short.
                var free = claiming ? Math.Min(calls.FreeToClaim(batch.Count), calls.MaxClaimPerCall) : 0;
                var claimed = 0;
                if (free > 0 || batch.Count > 0)
                {
                    lanes.ClaimLoopCallStarted();
                    try
                    {
                        claimed = await calls.CallAsync(batch, Math.Max(free, 0));
                    }
                    finally
                    {
                        lanes.ClaimLoopCallEnded();
                    }
                }

                errorDelay = ErrorBackoff.First;

                // A claim that got fewer jobs than it asked for found the queue empty (or at a limit) as
                // it ran, so claiming again at once would come back empty: go to the idle wait, which
                // returns at once for any wake-up that arrived since that claim began. A full batch
                // (or one at the store's batch cap) may have left more behind: claim again.
                if ((claimed > 0 && (claimed >= free || claimed >= StoreBatchCapHint)) || !completions.IsEmpty)
                {
                    continue;
                }

                // Jobs waiting in the ready buffer bound the wait, so ones stuck behind long handlers are given back.
                TimeSpan? readyWait = ready.HasWaiting ? options.ClaimAheadMaxWait : null;
                if (free > 0)
                {
                    await IdleWaitAsync(readyWait);
                }
                else if (readyWait is { } bound)
                {
                    await lanes.ClaimLoopWake.WaitAsync(bound, background);
                }
                else
                {
                    await lanes.ClaimLoopWake.WaitAsync(background);
                }

                settler.GiveBackStale();
            }
            catch (OperationCanceledException) when (background.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Claiming stopped; keep flushing completions until shutdown ends.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Worker {WorkerId}: claim loop error on queue {Queue}; retrying in {Delay}", options.WorkerId, store.QueueName, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, time, stopping.IsCancellationRequested ? background : stopping);
                }
                catch (OperationCanceledException) when (background.IsCancellationRequested)
                {
                    break;
                }
                catch (OperationCanceledException)
                {
                    // Stop requested: go on at once, flushing only.
                }

                errorDelay = ErrorBackoff.Next(errorDelay);
            }
        }

        _claimingStopped.TrySetResult();
    }

    private async Task IdleWaitAsync(TimeSpan? readyWait)
    {
        var wait = options.IdleWaitCeiling;
        var nextDue = await store.NextDueAsync(stopping);
        if (nextDue is { } dueAt)
        {
            var untilDue = dueAt - time.GetUtcNow();
            if (untilDue < wait)
            {
                wait = untilDue > TimeSpan.Zero ? untilDue : TimeSpan.FromMilliseconds(1);
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // The store's wait is the cross-process wake-up (real time); the timer follows the injected
        // clock so delayed jobs become due under a fake clock too; the local signal is a handler finishing.
        var storeWake = store.WaitForWorkAsync(wait < options.IdleWaitCeiling ? wait : options.IdleWaitCeiling, cts.Token);
        var due = Task.Delay(wait, time, cts.Token);
        var local = readyWait is { } bound ? lanes.ClaimLoopWake.WaitAsync(bound, cts.Token) : lanes.ClaimLoopWake.WaitAsync(cts.Token);
        var first = await Task.WhenAny(storeWake, due, local);
        await cts.CancelAsync();
        stopping.ThrowIfCancellationRequested();
        if (first.IsFaulted)
        {
            await first;
        }
    }

    /// <summary>Claiming has stopped once neither lane has a claim in flight (the second lane's is waited for).</summary>
    private void ClaimingStoppedIfQuiet()
    {
        if (!lanes.SecondLaneClaiming)
        {
            _claimingStopped.TrySetResult();
        }
    }
}
