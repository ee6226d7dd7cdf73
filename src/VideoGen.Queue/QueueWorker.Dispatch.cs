using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    /// <summary>Ready jobs one runner work item is worth; a bigger batch is started by more runners (up to the core count).</summary>
    private const int JobsPerRunner = 32;

    // The worker whose runner loop is on this thread (null elsewhere): a handler that finishes while its
    // runner is still looping needs no wake-up of its own; the runner signals once when it stops.
    [ThreadStatic]
    private static QueueWorker? t_runnerOf;

    [ThreadStatic]
    private static bool t_finishedInRunner;

    /// <summary>Leased jobs not started yet, in claim order: usually for microseconds; longer only while claimed ahead.</summary>
    private readonly ConcurrentQueue<RunningJob> _ready = new();
    private readonly TaskCompletionSource _executionsDrained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExecutionContext? _startContext;
    private int _runners;
    private int _runnersInHandler;
    private int _executing;
    private int _readyWaiting;

    /// <summary>
    /// Takes freshly claimed jobs into the ready buffer and makes sure runners start them. The claim loop
    /// never runs handler code: runners are thread-pool work items, one per <see cref="JobsPerRunner"/>
    /// ready jobs, each starting jobs one after the other while a slot is free. A handler runs on its
    /// runner until its first await, so one that blocks before it can delay the jobs its runner would
    /// start next (those of the same batch) by up to <see cref="QueueWorkerOptions.ClaimAheadMaxWait"/>:
    /// a runner stuck that way no longer counts, so later batches get runners of their own at once, and
    /// the claim loop starts another runner for jobs still waiting after its bounded wait. The claim loop,
    /// the heartbeat and the cancel path never wait for a runner.
    /// </summary>
    private void Dispatch(IReadOnlyList<ClaimedJob> claimed)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        foreach (var job in claimed)
        {
            var run = new RunningJob(job);
            Interlocked.Increment(ref _readyWaiting);
            _running[job.Id] = run;
            _ready.Enqueue(run);
        }

        EnsureRunners((claimed.Count + JobsPerRunner - 1) / JobsPerRunner);
    }

    private void EnsureRunners(int wanted)
    {
        var target = Math.Min(wanted, Environment.ProcessorCount);
        while (true)
        {
            var runners = Volatile.Read(ref _runners);
            if (runners - Volatile.Read(ref _runnersInHandler) >= target)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _runners, runners + 1, runners) == runners)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static worker => worker.RunReady(), this, preferLocal: false);
            }
        }
    }

    private void RunReady()
    {
        // Handlers see the context the worker was started in (as with Task.Run from the claim loop before),
        // never the locals of whichever handler's completion queued this runner.
        if (_startContext is { } context)
        {
            ExecutionContext.Run(context, static worker => ((QueueWorker)worker!).RunReadyCore(), this);
        }
        else
        {
            RunReadyCore();
        }
    }

    private void RunReadyCore()
    {
        t_runnerOf = this;
        t_finishedInRunner = false;
        try
        {
            while (TryStartNext())
            {
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Worker {WorkerId}: job runner failed on queue {Queue}", WorkerId, _store.QueueName);
        }
        finally
        {
            t_runnerOf = null;
            Interlocked.Decrement(ref _runners);
        }

        if (t_finishedInRunner)
        {
            WakeLanes();
        }

        // A slot freed or a job queued while this runner was leaving may have seen it still counted.
        if (HasReadyWaiting() && Volatile.Read(ref _handlersRunning) < _options.Concurrency)
        {
            EnsureRunners(1);
        }
    }

    /// <summary>Starts (or settles) the next ready job when a slot is free. False when there is nothing more to do now.</summary>
    private bool TryStartNext()
    {
        if (!TryTakeSlot())
        {
            return false;
        }

        // Counted before dequeuing, so a stopping worker that sees no executions also sees no job in a runner's hands.
        Interlocked.Increment(ref _executing);
        while (_ready.TryDequeue(out var run))
        {
            if (!TryTake(run))
            {
                // Already settled by a cancel, a lost lease or a give-back.
                continue;
            }

            if (_stopClaiming.IsCancellationRequested)
            {
                // Stopping: a job not started yet goes back to the queue with its attempt intact.
                run.RequestRelease();
            }

            if (run.Stopped)
            {
                ReleaseSlot();
                run.Execution = SettleAsync(run);
                return true;
            }

            Interlocked.Increment(ref _runnersInHandler);
            try
            {
                run.Execution = ExecuteAsync(run);
            }
            finally
            {
                Interlocked.Decrement(ref _runnersInHandler);
            }

            return true;
        }

        ReleaseSlot();
        ExecutionEnded();
        // A job queued after the dequeue failed may have found the slot taken: look again.
        return !_ready.IsEmpty;
    }

    private bool TryTakeSlot()
    {
        while (true)
        {
            var running = Volatile.Read(ref _handlersRunning);
            if (running >= _options.Concurrency)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _handlersRunning, running + 1, running) == running)
            {
                return true;
            }
        }
    }

    private void ReleaseSlot() => Interlocked.Decrement(ref _handlersRunning);

    /// <summary>Called once per started job when its outcome is written (or given up).</summary>
    private void Finished()
    {
        if (ReferenceEquals(t_runnerOf, this))
        {
            t_finishedInRunner = true;
        }
        else
        {
            WakeLanes();
            if (HasReadyWaiting())
            {
                EnsureRunners(1);
            }
        }

        ExecutionEnded();
    }

    private void ExecutionEnded()
    {
        if (Interlocked.Decrement(ref _executing) == 0 && _stopClaiming.IsCancellationRequested)
        {
            _executionsDrained.TrySetResult();
        }
    }

    /// <summary>
    /// A job that is still in the ready buffer when its cancel is requested or its lease is lost is
    /// settled at once (canceled, or dropped), without waiting for a slot and without running its handler.
    /// </summary>
    private void SettleIfReady(RunningJob run)
    {
        if (run.IsStarted || !TryTake(run))
        {
            return;
        }

        Interlocked.Increment(ref _executing);
        // Off the caller's thread: the heartbeat and the event loop never wait for a store write here.
        run.Execution = Task.Run(() => SettleAsync(run), CancellationToken.None);
    }

    /// <summary>
    /// Called by the claim loop after every bounded wait while jobs are ready. Gives back ready jobs that
    /// have waited longer than <see cref="QueueWorkerOptions.ClaimAheadMaxWait"/> while every slot is busy
    /// (handlers turned long), and stops claiming ahead until handlers are short again.
    /// </summary>
    private void ReleaseStaleReady()
    {
        if (!HasReadyWaiting() || !_ready.TryPeek(out var head))
        {
            return;
        }

        if (Volatile.Read(ref _handlersRunning) < _options.Concurrency)
        {
            // A slot is free, yet jobs wait: their runner is stuck in a handler that blocks before its
            // first await. Another runner starts them, so such a handler delays them by at most one wait bound.
            EnsureRunners(1);
            return;
        }

        var maxWait = _options.ClaimAheadMaxWait;
        if (Stopwatch.GetElapsedTime(head.BufferedAt) < maxWait)
        {
            return;
        }

        var released = 0;
        var longest = 0L;
        foreach (var run in _ready)
        {
            var waited = Stopwatch.GetTimestamp() - run.BufferedAt;
            if (waited < maxWait.TotalSeconds * Stopwatch.Frequency || run.IsStarted || !TryTake(run))
            {
                continue;
            }

            run.RequestRelease();
            Interlocked.Increment(ref _executing);
            run.Execution = SettleAsync(run);
            released++;
            longest = Math.Max(longest, waited);
        }

        if (released > 0)
        {
            _claimAhead.HandlersTooSlow(longest);
            _logger.LogDebug("Worker {WorkerId}: gave back {Count} claimed-ahead jobs that waited for a slot; handlers are not short now", WorkerId, released);
        }
    }

    /// <summary>On stop: every job still waiting in the ready buffer goes back to the queue, attempt not burned.</summary>
    private void ReleaseReady()
    {
        foreach (var run in _ready)
        {
            if (run.IsStarted || !TryTake(run))
            {
                continue;
            }

            run.RequestRelease();
            Interlocked.Increment(ref _executing);
            run.Execution = SettleAsync(run);
        }
    }

    /// <summary>Takes a ready job out of the buffer's count of waiting jobs; false when someone else already did.</summary>
    private bool TryTake(RunningJob run)
    {
        if (!run.TryStart())
        {
            return false;
        }

        Interlocked.Decrement(ref _readyWaiting);
        return true;
    }

    /// <summary>True while some claimed job waits for a slot (entries already settled do not count).</summary>
    private bool HasReadyWaiting() => Volatile.Read(ref _readyWaiting) > 0;
}
