namespace VideoGen.Queue.Worker;

/// <summary>One job this worker holds a lease on, from claim until its outcome is written.</summary>
internal sealed class RunningJob(ClaimedJob job)
{
    private int _finalized;
    private int _cancelRequested;
    private int _lost;
    private int _shutdown;

    public ClaimedJob Job { get; } = job;

    public LeaseRef Lease { get; } = new(job.Id, job.LeaseToken);

    // Never disposed: it has no timer or parent, and a late cancel must not throw.
    public CancellationTokenSource Cancellation { get; } = new();

    public Task Execution { get; set; } = Task.CompletedTask;

    /// <summary>True once the handler returned and its completion waits in the batch.</summary>
    public bool AwaitingCompletionFlush { get; set; }

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    public bool Lost => Volatile.Read(ref _lost) == 1;

    public bool ShutdownRequested => Volatile.Read(ref _shutdown) == 1;

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

    public void RequestShutdown()
    {
        if (Interlocked.Exchange(ref _shutdown, 1) == 0)
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
