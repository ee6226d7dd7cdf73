namespace VideoGen.Queue.Sqlite;

/// <summary>
/// In-process wake-ups for one queue of one open database: event readers (<see cref="SqliteQueueStore.ReadEventsAsync"/>)
/// and idle workers (<see cref="SqliteQueueStore.WaitForWorkAsync"/>) of every store on that database are
/// woken at once by a write through any of them. The events themselves live in the file (queue_events),
/// so other processes, and other databases opened on the same file, see them too: they notice writes by
/// looking at the file every 100 ms instead of being signalled.
/// </summary>
internal sealed class SqliteQueueHub
{
    private readonly Lock _lock = new();
    private long _eventGeneration;
    private TaskCompletionSource? _eventWaiters;
    private long _workGeneration;
    private TaskCompletionSource? _workWaiters;
    private long _cancelGeneration;
    private TaskCompletionSource? _cancelWaiters;

    public long WorkGeneration => Interlocked.Read(ref _workGeneration);

    public long EventGeneration => Interlocked.Read(ref _eventGeneration);

    /// <summary>Events were committed to the log: wakes readers waiting in this process.</summary>
    public void SignalEvents() => Signal(ref _eventGeneration, ref _eventWaiters);

    /// <summary>A task that completes at the next event signal, or at once if one came after <paramref name="seenGeneration"/>.</summary>
    public Task WaitForEvents(long seenGeneration) => WaitFor(ref _eventGeneration, ref _eventWaiters, seenGeneration);

    public long CancelGeneration => Interlocked.Read(ref _cancelGeneration);

    /// <summary>A cancel request was committed: wakes the workers' cancel feeds in this process (they skip the other events).</summary>
    public void SignalCancels() => Signal(ref _cancelGeneration, ref _cancelWaiters);

    public Task WaitForCancels(long seenGeneration) => WaitFor(ref _cancelGeneration, ref _cancelWaiters, seenGeneration);

    public void SignalWork() => Signal(ref _workGeneration, ref _workWaiters);

    /// <summary>A task that completes at the next work signal, or at once if one came after <paramref name="seenGeneration"/>.</summary>
    public Task WaitForWork(long seenGeneration) => WaitFor(ref _workGeneration, ref _workWaiters, seenGeneration);

    private void Signal(ref long generation, ref TaskCompletionSource? waiters)
    {
        TaskCompletionSource? toWake;
        lock (_lock)
        {
            generation++;
            toWake = waiters;
            waiters = null;
        }

        toWake?.TrySetResult();
    }

    private Task WaitFor(ref long generation, ref TaskCompletionSource? waiters, long seenGeneration)
    {
        lock (_lock)
        {
            if (generation != seenGeneration)
            {
                return Task.CompletedTask;
            }

            waiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return waiters.Task;
        }
    }
}

/// <summary>An event collected inside a write transaction and inserted into the log before it commits.</summary>
internal readonly record struct PendingEvent(string JobId, JobEventKind Kind, DateTimeOffset At, string? Data = null);
