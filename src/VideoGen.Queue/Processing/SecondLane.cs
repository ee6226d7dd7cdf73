using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// The second lane, over a store whose calls are network round trips (<see cref="IQueueStore.OverlapsCalls"/>):
/// while the <see cref="ClaimLoop"/> waits for its store call, this lane sends the completions that pile
/// up and, while the queue has more waiting, claims up to half of what the worker may hold, so the store
/// and this process work at the same time (at most two calls in flight) and each lane's jobs run while
/// the other's call is out. It never waits on the store or claims from a queue seen empty: idle waiting
/// and wake-ups stay with the claim loop.
/// </summary>
internal sealed class SecondLane(
    string queueName,
    string workerId,
    CompleteAndClaimCalls calls,
    PendingCompletions completions,
    LaneSignals lanes,
    CancellationToken stopping,
    CancellationToken background,
    ILogger logger)
{
    /// <summary>Two calls in flight pay off only over a network round trip, and only with more than one slot.</summary>
    public static bool IsWorthIt(IQueueStore store, QueueWorkerOptions options) => options.Concurrency > 1 && store.OverlapsCalls;

    public async Task RunAsync()
    {
        var batch = new List<PendingCompletion>();
        while (!background.IsCancellationRequested)
        {
            try
            {
                await lanes.SecondLaneWake.WaitAsync(background);
                while (lanes.ClaimLoopInCall)
                {
                    completions.DrainInto(batch);
                    var claimToo = !stopping.IsCancellationRequested && calls.MoreWaiting && calls.FreeToClaim(batch.Count) > 0;
                    if (batch.Count == 0 && !claimToo)
                    {
                        break;
                    }

                    await CallAsync(batch);
                }
            }
            catch (OperationCanceledException) when (background.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The completions go back to the queue; the claim loop (or this lane) sends them again.
                completions.Return(batch);
                logger.LogWarning(ex, "Worker {WorkerId}: second-lane store call failed on queue {Queue}; the main loop retries", workerId, queueName);
                lanes.ClaimLoopWake.Set();
            }
        }
    }

    private async Task CallAsync(List<PendingCompletion> batch)
    {
        // Flag first, then look at stopping: the claim loop, once stopping, waits while this flag is up,
        // so a claim either sees the stop or is waited for.
        lanes.SecondLaneClaimStarted();
        try
        {
            var claim = stopping.IsCancellationRequested || !calls.MoreWaiting ? 0 : Math.Clamp(calls.FreeToClaim(batch.Count), 0, calls.MaxClaimPerCall);
            await calls.CallAsync(batch, claim);
        }
        finally
        {
            lanes.SecondLaneClaimEnded();
            if (stopping.IsCancellationRequested)
            {
                lanes.ClaimLoopWake.Set();
            }
        }
    }
}
