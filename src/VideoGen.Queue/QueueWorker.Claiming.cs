using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    private static readonly TimeSpan MinErrorBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxErrorBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The most jobs a store hands out per claim call (the Redis store's cap): a claim this large is never "short".</summary>
    private const int StoreBatchCapHint = 1000;

    /// <summary>
    /// Finishes what handlers completed and claims as many jobs as there are free slots, in one store
    /// call when both are due. Sleeps only when there is nothing to claim, and then until a wake-up
    /// (an enqueue, a release, a local handler finishing), the next delayed job, or the idle ceiling.
    /// </summary>
    private async Task ClaimLoopAsync()
    {
        var stopping = _stopClaiming.Token;
        var background = _stopBackground.Token;
        var batch = new List<(RunningJob Run, JobCompletion Completion)>();
        var errorDelay = MinErrorBackoff;
        while (!background.IsCancellationRequested)
        {
            try
            {
                DrainCompletions(batch);
                var claiming = !stopping.IsCancellationRequested;
                if (!claiming)
                {
                    // Any claim in flight (the second lane's included) has returned and its jobs are in _running: stop can count them.
                    ClaimingStoppedIfQuiet();
                }

                // Leased jobs the worker may hold: one per slot, plus some claimed ahead while handlers are short.
                var free = claiming ? Math.Min(FreeToClaim(batch.Count), MaxClaimPerCall) : 0;
                IReadOnlyList<ClaimedJob> claimed = [];
                if (free > 0 || batch.Count > 0)
                {
                    var claimAsked = Math.Max(free, 0);
                    Volatile.Write(ref _primaryInCall, 1);
                    _secondLaneWake.Set();
                    try
                    {
                        var (completed, got) = await SendAsync(batch, claimAsked);
                        AfterCompletions(batch, completed);
                        batch.Clear();
                        claimed = got;
                        Dispatch(claimed);
                    }
                    finally
                    {
                        Volatile.Write(ref _primaryInCall, 0);
                        Interlocked.Add(ref _claimsInFlight, -claimAsked);
                    }
                }

                errorDelay = MinErrorBackoff;

                // A claim that got fewer jobs than it asked for found the queue empty (or at a limit) as
                // it ran, so claiming again at once would come back empty: go to the idle wait, which
                // returns at once for any wake-up that arrived since that claim began. A full batch
                // (or one at the store's batch cap) may have left more behind: claim again.
                if ((claimed.Count > 0 && (claimed.Count >= free || claimed.Count >= StoreBatchCapHint)) || !_completed.IsEmpty)
                {
                    continue;
                }

                // Jobs waiting in the ready buffer bound the wait, so ones stuck behind long handlers are given back.
                TimeSpan? readyWait = HasReadyWaiting() ? _options.ClaimAheadMaxWait : null;
                if (free > 0)
                {
                    await IdleWaitAsync(stopping, readyWait);
                }
                else if (readyWait is { } bound)
                {
                    await _wake.WaitAsync(bound, background);
                }
                else
                {
                    await _wake.WaitAsync(background);
                }

                ReleaseStaleReady();
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
                _logger.LogError(ex, "Worker {WorkerId}: claim loop error on queue {Queue}; retrying in {Delay}", WorkerId, _store.QueueName, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, _time, stopping.IsCancellationRequested ? background : stopping);
                }
                catch (OperationCanceledException) when (background.IsCancellationRequested)
                {
                    break;
                }
                catch (OperationCanceledException)
                {
                    // Stop requested: go on at once, flushing only.
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorBackoff.Ticks));
            }
        }

        _claimingStopped.TrySetResult();
    }

    private async Task IdleWaitAsync(CancellationToken stopping, TimeSpan? readyWait)
    {
        var wait = _options.IdleWaitCeiling;
        var nextDue = await _store.NextDueAsync(stopping);
        if (nextDue is { } dueAt)
        {
            var untilDue = dueAt - _time.GetUtcNow();
            if (untilDue < wait)
            {
                wait = untilDue > TimeSpan.Zero ? untilDue : TimeSpan.FromMilliseconds(1);
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // The store's wait is the cross-process wake-up (real time); the timer follows the injected
        // clock so delayed jobs become due under a fake clock too; the local signal is a handler finishing.
        var storeWake = _store.WaitForWorkAsync(wait < _options.IdleWaitCeiling ? wait : _options.IdleWaitCeiling, cts.Token);
        var due = Task.Delay(wait, _time, cts.Token);
        var local = readyWait is { } bound ? _wake.WaitAsync(bound, cts.Token) : _wake.WaitAsync(cts.Token);
        var first = await Task.WhenAny(storeWake, due, local);
        await cts.CancelAsync();
        stopping.ThrowIfCancellationRequested();
        if (first.IsFaulted)
        {
            await first;
        }
    }

    private void DrainCompletions(List<(RunningJob Run, JobCompletion Completion)> batch)
    {
        // Bounded so one huge batch does not hold the store's writer for long.
        var max = Math.Max(_options.Concurrency, 64);
        while (batch.Count < max && _completed.TryDequeue(out var item))
        {
            batch.Add(item);
        }
    }

    private static List<JobCompletion> Completions(List<(RunningJob Run, JobCompletion Completion)> batch)
    {
        var list = new List<JobCompletion>(batch.Count);
        foreach (var item in batch)
        {
            list.Add(item.Completion);
        }

        return list;
    }

    private void AfterCompletions(List<(RunningJob Run, JobCompletion Completion)> batch, IReadOnlyList<bool> completed)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var run = batch[i].Run;
            if (i < completed.Count && !completed[i])
            {
                _logger.LogWarning("Worker {WorkerId}: completion of job {JobId} refused, its lease was lost", WorkerId, run.Job.Id);
            }

            Forget(run);
        }
    }

    private void Forget(RunningJob run) => _running.TryRemove(new KeyValuePair<string, RunningJob>(run.Job.Id, run));
}
