using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Starts claimed jobs. Claimed jobs go into the <see cref="ReadyBuffer"/>; runners are thread-pool work
/// items, one per <see cref="JobsPerRunner"/> ready jobs (at most one per core), each starting jobs one
/// after the other while a <see cref="HandlerSlots">slot</see> is free. The claim loop never runs handler
/// code, and neither the claim loop, the heartbeat nor the cancel path ever waits for a runner.
/// </summary>
/// <remarks>
/// A handler runs on its runner until its first await, so one that blocks before it can delay the jobs
/// its runner would start next (those of the same batch) by up to <see cref="QueueWorkerOptions.ClaimAheadMaxWait"/>:
/// a runner stuck that way no longer counts, so later batches get runners of their own at once, and the
/// claim loop starts another runner for jobs still waiting after its bounded wait
/// (<see cref="ReadyJobSettler.GiveBackStale"/>).
/// </remarks>
internal sealed class JobRunners(
    IJobHandler handler,
    string queueName,
    ReadyBuffer ready,
    HeldJobs held,
    HandlerSlots slots,
    ActiveExecutions executions,
    OutcomeWriter outcomes,
    ClaimAheadPolicy claimAhead,
    LaneSignals lanes,
    CancellationToken stopping,
    ILogger logger,
    string workerId)
{
    /// <summary>Ready jobs one runner is worth; a bigger batch is started by more runners (up to the core count).</summary>
    public const int JobsPerRunner = 32;

    // The runners whose loop is on this thread (null elsewhere): a handler that finishes while its runner
    // is still looping needs no wake-up of its own; the runner signals once when it stops.
    [ThreadStatic]
    private static JobRunners? t_runnerOf;

    [ThreadStatic]
    private static bool t_finishedInRunner;

    private ExecutionContext? _startContext;
    private int _runners;
    private int _runnersInHandler;

    /// <summary>
    /// Handlers see the execution context the worker was started in (as a <c>Task.Run</c> from
    /// <c>StartAsync</c> would), never the locals of whichever handler's completion queued a runner.
    /// </summary>
    public void CaptureStartContext() => _startContext = ExecutionContext.Capture();

    /// <summary>Holds freshly claimed jobs, puts them in the ready buffer, and makes sure runners start them.</summary>
    public void Dispatch(IReadOnlyList<ClaimedJob> claimed)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        foreach (var job in claimed)
        {
            var run = new RunningJob(job);
            held.Add(run);
            ready.Add(run);
        }

        EnsureRunners((claimed.Count + JobsPerRunner - 1) / JobsPerRunner);
    }

    /// <summary>Starts runners until <paramref name="wanted"/> (at most one per core) are running and not stuck in a handler.</summary>
    public void EnsureRunners(int wanted)
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
                ThreadPool.UnsafeQueueUserWorkItem(static self => self.RunReady(), this, preferLocal: false);
            }
        }
    }

    /// <summary>Ends a job the caller took out of the ready buffer without running its handler (canceled, given back, or dropped).</summary>
    public void Settle(RunningJob run)
    {
        executions.Begin();
        run.Execution = SettleAsync(run);
    }

    /// <summary>Like <see cref="Settle"/>, off the caller's thread: the heartbeat and the cancel listener never wait for a store write.</summary>
    public void SettleInBackground(RunningJob run)
    {
        executions.Begin();
        run.Execution = Task.Run(() => SettleAsync(run), CancellationToken.None);
    }

    private void RunReady()
    {
        if (_startContext is { } context)
        {
            ExecutionContext.Run(context, static self => ((JobRunners)self!).RunReadyCore(), this);
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
            logger.LogError(ex, "Worker {WorkerId}: job runner failed on queue {Queue}", workerId, queueName);
        }
        finally
        {
            t_runnerOf = null;
            Interlocked.Decrement(ref _runners);
        }

        if (t_finishedInRunner)
        {
            lanes.WakeBoth();
        }

        // A slot freed or a job queued while this runner was leaving may have seen it still counted.
        if (ready.HasWaiting && slots.AnyFree)
        {
            EnsureRunners(1);
        }
    }

    /// <summary>Starts (or settles) the next ready job when a slot is free. False when there is nothing more to do now.</summary>
    private bool TryStartNext()
    {
        if (!slots.TryTake())
        {
            return false;
        }

        // Counted before dequeuing, so a stopping worker that sees no executions also sees no job in a runner's hands.
        executions.Begin();
        if (ready.TryTakeNext(out var run))
        {
            if (stopping.IsCancellationRequested)
            {
                // Stopping: a job not started yet goes back to the queue with its attempt intact.
                run.RequestRelease();
            }

            if (run.Stopped)
            {
                slots.Release();
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

        slots.Release();
        executions.End();
        // A job queued after the dequeue failed may have found the slot taken: look again.
        return !ready.IsEmpty;
    }

    /// <summary>Runs a started job's handler (its slot is taken), gives the slot back, and writes the outcome.</summary>
    private async Task ExecuteAsync(RunningJob run)
    {
        string? result = null;
        Exception? error = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var context = new JobContext(run.Job, queueName, (progress, ct) => outcomes.ReportProgressAsync(run, progress, ct));
            result = await handler.HandleAsync(context, run.Cancellation.Token);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            claimAhead.HandlerRan(started);
            slots.Release();
        }

        try
        {
            await outcomes.WriteAsync(run, result, error);
        }
        finally
        {
            Finished();
        }
    }

    private async Task SettleAsync(RunningJob run)
    {
        try
        {
            await outcomes.WriteAsync(run, null, new OperationCanceledException("The job was stopped before its handler started."));
        }
        finally
        {
            Finished();
        }
    }

    /// <summary>Called once per taken job when its outcome is written (or given up).</summary>
    private void Finished()
    {
        if (ReferenceEquals(t_runnerOf, this))
        {
            t_finishedInRunner = true;
        }
        else
        {
            lanes.WakeBoth();
            if (ready.HasWaiting)
            {
                EnsureRunners(1);
            }
        }

        executions.End();
    }
}
