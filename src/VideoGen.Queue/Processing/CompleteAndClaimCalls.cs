using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// The store calls both lanes make: each writes a batch of completions and claims up to a number of jobs
/// in one round trip, and hands the claimed jobs to the <see cref="JobRunners"/>. It counts what calls in
/// flight will add (claims asked for) and remove (completions sent), so two calls at once never lease
/// more than the worker may hold: one job per slot, plus those claimed ahead (<see cref="ClaimAheadPolicy"/>).
/// With <c>twoLanes</c> (a <see cref="SecondLane"/> makes calls too) one call claims at most half of that.
/// </summary>
internal sealed class CompleteAndClaimCalls(
    IQueueStore store,
    QueueWorkerOptions options,
    TimeProvider time,
    HeldJobs held,
    JobRunners runners,
    ClaimAheadPolicy claimAhead,
    bool twoLanes,
    ILogger logger)
{
    private int _claimsInFlight;
    private int _completionsInFlight;

    // 1 while the last claim got all it asked for (more is probably waiting), 0 once one came back short.
    private int _moreWaiting;

    /// <summary>True while the last claim got all it asked for, so more jobs are probably waiting.</summary>
    public bool MoreWaiting => Volatile.Read(ref _moreWaiting) == 1;

    /// <summary>With two lanes each claim takes at most half of what the worker may hold, so the other lane has jobs of its own in the meantime.</summary>
    public int MaxClaimPerCall => twoLanes ? Math.Max(1, (options.Concurrency + claimAhead.Ahead + 1) / 2) : int.MaxValue;

    /// <summary>
    /// Leased jobs this worker may still take: one per slot plus those claimed ahead, less what it holds
    /// (jobs whose completions are being sent, or are about to be sent by the caller, do not count) and
    /// what calls in flight will bring.
    /// </summary>
    /// <param name="ownCompletions">Completions the caller holds in its batch, about to be sent.</param>
    public int FreeToClaim(int ownCompletions) =>
        options.Concurrency + claimAhead.Ahead
        - (held.Count - ownCompletions - Volatile.Read(ref _completionsInFlight))
        - Volatile.Read(ref _claimsInFlight);

    /// <summary>
    /// One store call: completes <paramref name="batch"/> and claims up to <paramref name="claim"/> jobs,
    /// lets go of the completed jobs, empties the batch and dispatches the claimed jobs. The claim counts
    /// as in flight until its jobs are held. On failure the batch is left as it was, for the caller to resend.
    /// </summary>
    /// <returns>How many jobs were claimed.</returns>
    public async Task<int> CallAsync(List<PendingCompletion> batch, int claim)
    {
        var sent = batch.Count;
        Interlocked.Add(ref _claimsInFlight, claim);
        try
        {
            IReadOnlyList<bool> completed = [];
            IReadOnlyList<ClaimedJob> claimed = [];
            Interlocked.Add(ref _completionsInFlight, sent);
            try
            {
                if (claim > 0)
                {
                    var callStarted = Stopwatch.GetTimestamp();
                    var request = new ClaimRequest(options.WorkerId, claim, options.LeaseDuration);
                    if (sent > 0)
                    {
                        var result = await store.CompleteAndClaimAsync(Completions(batch), request, time.GetUtcNow(), CancellationToken.None);
                        (completed, claimed) = (result.Completed, result.Claimed);
                    }
                    else
                    {
                        claimed = await store.ClaimAsync(request, time.GetUtcNow(), CancellationToken.None);
                    }

                    claimAhead.RoundTrip(callStarted);
                    Volatile.Write(ref _moreWaiting, claimed.Count >= claim ? 1 : 0);
                }
                else if (sent > 0)
                {
                    completed = await store.CompleteAsync(Completions(batch), time.GetUtcNow(), CancellationToken.None);
                }
            }
            finally
            {
                Interlocked.Add(ref _completionsInFlight, -sent);
            }

            LetGoOfCompleted(batch, completed);
            batch.Clear();
            runners.Dispatch(claimed);
            return claimed.Count;
        }
        finally
        {
            // After Dispatch: the claimed jobs are held before they stop counting as in flight.
            Interlocked.Add(ref _claimsInFlight, -claim);
        }
    }

    private void LetGoOfCompleted(List<PendingCompletion> batch, IReadOnlyList<bool> completed)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var run = batch[i].Run;
            if (i < completed.Count && !completed[i])
            {
                logger.LogWarning("Worker {WorkerId}: completion of job {JobId} refused, its lease was lost", options.WorkerId, run.Job.Id);
            }

            held.Forget(run);
        }
    }

    private static List<JobCompletion> Completions(List<PendingCompletion> batch)
    {
        var list = new List<JobCompletion>(batch.Count);
        foreach (var item in batch)
        {
            list.Add(item.Completion);
        }

        return list;
    }
}
