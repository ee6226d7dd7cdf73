using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Ends jobs still waiting in the <see cref="ReadyBuffer"/> that must not wait for a slot: a job canceled
/// or whose lease was lost is settled at once without running its handler; claimed-ahead jobs that waited
/// too long, and on stop every waiting job, go back to the queue with their attempt intact.
/// </summary>
internal sealed class ReadyJobSettler(ReadyBuffer ready, JobRunners runners, HandlerSlots slots, ClaimAheadPolicy claimAhead, TimeSpan maxWait, ILogger logger, string workerId)
{
    /// <summary>
    /// Settles <paramref name="run"/> (canceled, or dropped when its lease was lost) if it is still
    /// waiting, off the caller's thread; a started job's handler sees its token fire instead.
    /// </summary>
    public void SettleIfWaiting(RunningJob run)
    {
        if (run.IsStarted || !ready.TryTake(run))
        {
            return;
        }

        runners.SettleInBackground(run);
    }

    /// <summary>
    /// Called by the claim loop after every bounded wait while jobs are ready. Gives back ready jobs that
    /// have waited longer than <c>maxWait</c> (<see cref="QueueWorkerOptions.ClaimAheadMaxWait"/>) while
    /// every slot is busy (handlers turned long), and stops claiming ahead until handlers are short again.
    /// </summary>
    public void GiveBackStale()
    {
        if (!ready.HasWaiting || !ready.TryPeekOldest(out var head))
        {
            return;
        }

        if (slots.AnyFree)
        {
            // A slot is free, yet jobs wait: their runner is stuck in a handler that blocks before its
            // first await. Another runner starts them, so such a handler delays them by at most one wait bound.
            runners.EnsureRunners(1);
            return;
        }

        if (Stopwatch.GetElapsedTime(head.BufferedAt) < maxWait)
        {
            return;
        }

        var released = 0;
        var longest = 0L;
        foreach (var run in ready.Entries)
        {
            var waited = Stopwatch.GetTimestamp() - run.BufferedAt;
            if (waited < maxWait.TotalSeconds * Stopwatch.Frequency || run.IsStarted || !ready.TryTake(run))
            {
                continue;
            }

            run.RequestRelease();
            runners.Settle(run);
            released++;
            longest = Math.Max(longest, waited);
        }

        if (released > 0)
        {
            claimAhead.HandlersTooSlow(longest);
            logger.LogDebug("Worker {WorkerId}: gave back {Count} claimed-ahead jobs that waited for a slot; handlers are not short now", workerId, released);
        }
    }

    /// <summary>On stop: every job still waiting goes back to the queue, attempt not burned.</summary>
    public void GiveBackAll()
    {
        foreach (var run in ready.Entries)
        {
            if (run.IsStarted || !ready.TryTake(run))
            {
                continue;
            }

            run.RequestRelease();
            runners.Settle(run);
        }
    }
}
