using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Leased jobs not started yet, in claim order: usually for microseconds; longer only while jobs are
/// claimed ahead of free slots. Whoever wins <see cref="TryTake"/> on an entry runs it or settles it; a
/// taken entry no longer counts as waiting, and a runner dequeuing it later skips it.
/// </summary>
internal sealed class ReadyBuffer
{
    private readonly ConcurrentQueue<RunningJob> _queue = new();
    private int _waiting;

    /// <summary>True while some job waits for a slot (entries already taken do not count).</summary>
    public bool HasWaiting => Volatile.Read(ref _waiting) > 0;

    /// <summary>True when the buffer holds no entry at all, taken ones included.</summary>
    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>The entries at this moment, oldest first, taken ones included (a snapshot to scan).</summary>
    public IEnumerable<RunningJob> Entries => _queue;

    public void Add(RunningJob run)
    {
        // Counted before it can be dequeued, so the count never goes below the entries not taken.
        Interlocked.Increment(ref _waiting);
        _queue.Enqueue(run);
    }

    /// <summary>Dequeues entries until one not taken yet, and takes it; false when none is left.</summary>
    public bool TryTakeNext([NotNullWhen(true)] out RunningJob? run)
    {
        while (_queue.TryDequeue(out run))
        {
            if (TryTake(run))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The oldest entry, taken or not.</summary>
    public bool TryPeekOldest([NotNullWhen(true)] out RunningJob? run) => _queue.TryPeek(out run);

    /// <summary>Takes <paramref name="run"/> out of the jobs waiting; false when someone else already did.</summary>
    public bool TryTake(RunningJob run)
    {
        if (!run.TryStart())
        {
            return false;
        }

        Interlocked.Decrement(ref _waiting);
        return true;
    }
}
