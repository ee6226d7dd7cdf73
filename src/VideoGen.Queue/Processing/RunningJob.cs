using System.Diagnostics;

namespace VideoGen.Queue.Processing;

/// <summary>
/// One job this worker holds a lease on, from claim until its outcome is written. A claimed job first
/// waits in the worker's ready buffer (usually for microseconds); whoever wins <see cref="TryStart"/>
/// either runs its handler or settles it without running it (cancel requested, lease lost, given back).
/// </summary>
internal sealed class RunningJob(ClaimedJob job)
{
    private int _started;
    private int _finalized;
    private int _cancelRequested;
    private int _lost;
    private int _release;

    public ClaimedJob Job { get; } = job;

    public LeaseRef Lease { get; } = new(job.Id, job.LeaseToken);

    // Never disposed: it has no timer or parent, and a late cancel must not throw.
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>The handler's run (with its outcome write); completed until the job is started.</summary>
    public Task Execution { get; set; } = Task.CompletedTask;

    /// <summary>When the job entered the ready buffer (<see cref="Stopwatch"/> ticks, real time).</summary>
    public long BufferedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>True once the handler returned and its completion waits in the batch.</summary>
    public bool AwaitingCompletionFlush { get; set; }

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    public bool Lost => Volatile.Read(ref _lost) == 1;

    /// <summary>The job is to be given back without burning its attempt (worker stopping, or a claimed-ahead job that waited too long).</summary>
    public bool ReleaseRequested => Volatile.Read(ref _release) == 1;

    /// <summary>True when the job must not (or no longer) run its handler to the end.</summary>
    public bool Stopped => CancelRequested || Lost || ReleaseRequested;

    /// <summary>Whoever wins this takes the job out of the ready buffer: it runs or settles the job.</summary>
    public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;

    public bool IsStarted => Volatile.Read(ref _started) == 1;

    /// <summary>Whoever wins this writes the job's outcome; everyone else must leave it alone.</summary>
    public bool TryFinalize() => Interlocked.Exchange(ref _finalized, 1) == 0;

    public bool IsFinalized => Volatile.Read(ref _finalized) == 1;

    public void RequestCancel()
    {
        if (Interlocked.Exchange(ref _cancelRequested, 1) == 0)
        {
            CancelHandler();
        }
    }

    public void MarkLost()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            CancelHandler();
        }
    }

    public void RequestRelease()
    {
        if (Interlocked.Exchange(ref _release, 1) == 0)
        {
            CancelHandler();
        }
    }

    // Callbacks run on the thread pool so handler code never runs on the heartbeat or event loop.
    private void CancelHandler()
    {
        _ = Cancellation.CancelAsync();
    }
}
