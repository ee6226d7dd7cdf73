using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    // Signals for the second lane (WakeSignal has one reader per instance).
    private readonly WakeSignal _secondLaneWake = new();

    // Jobs the calls in flight will add (claims asked for) or remove (completions sent): both lanes
    // count them, so two calls at once never lease more than the worker may hold.
    private int _claimsInFlight;
    private int _completionsInFlight;
    private int _primaryInCall;
    private int _secondLaneClaiming;

    // 1 while the last claim got all it asked for (more is probably waiting), 0 once one came back short.
    private int _moreWaiting;

    /// <summary>With two lanes each claim takes at most half of what the worker may hold, so the other lane has jobs of its own in the meantime.</summary>
    private int MaxClaimPerCall => HasSecondLane ? Math.Max(1, (_options.Concurrency + _claimAhead.Ahead + 1) / 2) : int.MaxValue;

    /// <summary>Two calls in flight pay off only over a network round trip, and only with more than one slot.</summary>
    private bool HasSecondLane => _options.Concurrency > 1 && _store.OverlapsCalls;

    /// <summary>Wakes both lanes: a handler finished, or shutdown needs them.</summary>
    private void WakeLanes()
    {
        _wake.Set();
        _secondLaneWake.Set();
    }

    /// <summary>
    /// The second lane: while the main claim loop waits for a store call, this lane sends the completions
    /// that pile up and, while the queue has more waiting, claims up to half of what the worker may hold,
    /// so the store and this process work at the same time (at most two calls in flight) and each lane's
    /// jobs run while the other's call is out. It never waits on the store or claims from a queue seen
    /// empty: idle waiting and wake-ups stay with the main loop.
    /// </summary>
    private async Task SecondLaneLoopAsync()
    {
        var stopping = _stopClaiming.Token;
        var background = _stopBackground.Token;
        var batch = new List<(RunningJob Run, JobCompletion Completion)>();
        while (!background.IsCancellationRequested)
        {
            try
            {
                await _secondLaneWake.WaitAsync(background);
                while (Volatile.Read(ref _primaryInCall) == 1)
                {
                    DrainCompletions(batch);
                    var claimToo = !stopping.IsCancellationRequested && Volatile.Read(ref _moreWaiting) == 1 && FreeToClaim(batch.Count) > 0;
                    if (batch.Count == 0 && !claimToo)
                    {
                        break;
                    }

                    await SendSecondLaneCallAsync(batch, stopping);
                }
            }
            catch (OperationCanceledException) when (background.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The completions go back to the queue; the main loop (or this lane) sends them again.
                foreach (var item in batch)
                {
                    _completed.Enqueue(item);
                }

                batch.Clear();
                _logger.LogWarning(ex, "Worker {WorkerId}: second-lane store call failed on queue {Queue}; the main loop retries", WorkerId, _store.QueueName);
                _wake.Set();
            }
        }
    }

    private async Task SendSecondLaneCallAsync(List<(RunningJob Run, JobCompletion Completion)> batch, CancellationToken stopping)
    {
        // Flag first, then look at stopping: the main loop, once stopping, waits while this flag is up,
        // so a claim either sees the stop or is waited for (see ClaimingStoppedIfQuiet).
        Interlocked.Exchange(ref _secondLaneClaiming, 1);
        var free = 0;
        try
        {
            free = stopping.IsCancellationRequested || Volatile.Read(ref _moreWaiting) == 0 ? 0 : Math.Clamp(FreeToClaim(batch.Count), 0, MaxClaimPerCall);
            var (completed, claimed) = await SendAsync(batch, free);
            AfterCompletions(batch, completed);
            batch.Clear();
            Dispatch(claimed);
        }
        finally
        {
            // After Dispatch: the claimed jobs are in _running before they stop counting as in flight.
            Interlocked.Add(ref _claimsInFlight, -free);
            Interlocked.Exchange(ref _secondLaneClaiming, 0);
            if (stopping.IsCancellationRequested)
            {
                _wake.Set();
            }
        }
    }

    /// <summary>
    /// One store call: completes <paramref name="batch"/> and claims up to <paramref name="free"/> jobs.
    /// Counts the claim as in flight (the caller uncounts it once the jobs are dispatched) and the
    /// completions until the call returns.
    /// </summary>
    private async Task<(IReadOnlyList<bool> Completed, IReadOnlyList<ClaimedJob> Claimed)> SendAsync(List<(RunningJob Run, JobCompletion Completion)> batch, int free)
    {
        var sent = batch.Count;
        Interlocked.Add(ref _claimsInFlight, free);
        Interlocked.Add(ref _completionsInFlight, sent);
        try
        {
            var callStarted = Stopwatch.GetTimestamp();
            if (free > 0)
            {
                var request = new ClaimRequest(WorkerId, free, _options.LeaseDuration);
                IReadOnlyList<bool> completed = [];
                IReadOnlyList<ClaimedJob> claimed;
                if (sent > 0)
                {
                    var result = await _store.CompleteAndClaimAsync(Completions(batch), request, _time.GetUtcNow(), CancellationToken.None);
                    (completed, claimed) = (result.Completed, result.Claimed);
                }
                else
                {
                    claimed = await _store.ClaimAsync(request, _time.GetUtcNow(), CancellationToken.None);
                }

                _claimAhead.RoundTrip(callStarted);
                Volatile.Write(ref _moreWaiting, claimed.Count >= free ? 1 : 0);
                return (completed, claimed);
            }

            return (sent > 0 ? await _store.CompleteAsync(Completions(batch), _time.GetUtcNow(), CancellationToken.None) : [], []);
        }
        finally
        {
            Interlocked.Add(ref _completionsInFlight, -sent);
        }
    }

    /// <summary>
    /// Leased jobs this worker may still take: one per slot plus those claimed ahead, less what it holds
    /// (jobs whose completions are being sent do not count) and what calls in flight will bring.
    /// </summary>
    private int FreeToClaim(int ownCompletions) =>
        _options.Concurrency + _claimAhead.Ahead
        - (_running.Count - ownCompletions - Volatile.Read(ref _completionsInFlight))
        - Volatile.Read(ref _claimsInFlight);

    /// <summary>Claiming has stopped once neither lane has a claim in flight (the second lane's is waited for).</summary>
    private void ClaimingStoppedIfQuiet()
    {
        if (Volatile.Read(ref _secondLaneClaiming) == 0)
        {
            _claimingStopped.TrySetResult();
        }
    }
}
