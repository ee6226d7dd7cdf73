using System.Collections.Concurrent;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// In-process fan-out for one queue of one database file: the event log that
/// <see cref="SqliteQueueStore.ReadEventsAsync"/> readers follow, and the wake-up signal behind
/// <see cref="SqliteQueueStore.WaitForWorkAsync"/>. Shared by every store instance of the same file
/// and queue in this process, so an enqueue through one handle wakes a worker on another.
/// </summary>
/// <remarks>
/// The log is a bounded ring (<see cref="Capacity"/> events): a reader that falls further behind
/// skips to the oldest retained event. Positions are a process-local sequence; other processes
/// sharing the file do not see these events (use the Redis backend for that).
/// </remarks>
internal sealed class SqliteQueueHub
{
    public const int Capacity = 16_384;

    private static readonly ConcurrentDictionary<string, SqliteQueueHub> Hubs = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private (long Sequence, JobEvent Event)[]? _ring;
    private long _lastSequence;
    private TaskCompletionSource? _eventWaiters;
    private long _workGeneration;
    private TaskCompletionSource? _workWaiters;

    public static SqliteQueueHub For(string databasePath, string queueName) =>
        Hubs.GetOrAdd(databasePath + "\n" + queueName, static _ => new SqliteQueueHub());

    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    public long WorkGeneration => Interlocked.Read(ref _workGeneration);

    public void Publish(List<PendingEvent> events, string queue)
    {
        if (events.Count == 0)
        {
            return;
        }

        TaskCompletionSource? waiters;
        lock (_lock)
        {
            _ring ??= new (long, JobEvent)[Capacity];
            foreach (var e in events)
            {
                var sequence = ++_lastSequence;
                var position = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
                _ring[sequence % Capacity] = (sequence, new JobEvent(queue, e.JobId, e.Kind, e.At, e.Data, position));
            }

            waiters = _eventWaiters;
            _eventWaiters = null;
        }

        waiters?.TrySetResult();
    }

    /// <summary>Copies events after <paramref name="after"/> into <paramref name="into"/>; if there are none, returns a task that completes when one is published.</summary>
    public Task? TryRead(long after, List<(long Sequence, JobEvent Event)> into, int max)
    {
        lock (_lock)
        {
            if (_lastSequence <= after || _ring is null)
            {
                _eventWaiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _eventWaiters.Task;
            }

            var from = Math.Max(after + 1, _lastSequence - Capacity + 1);
            for (var s = from; s <= _lastSequence && into.Count < max; s++)
            {
                into.Add(_ring[s % Capacity]);
            }

            return null;
        }
    }

    public void SignalWork()
    {
        TaskCompletionSource? waiters;
        lock (_lock)
        {
            _workGeneration++;
            waiters = _workWaiters;
            _workWaiters = null;
        }

        waiters?.TrySetResult();
    }

    /// <summary>A task that completes at the next signal, or at once if one came after <paramref name="seenGeneration"/>.</summary>
    public Task WaitForWork(long seenGeneration)
    {
        lock (_lock)
        {
            if (_workGeneration != seenGeneration)
            {
                return Task.CompletedTask;
            }

            _workWaiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _workWaiters.Task;
        }
    }
}

/// <summary>An event collected inside a write transaction, published after it commits.</summary>
internal readonly record struct PendingEvent(string JobId, JobEventKind Kind, DateTimeOffset At, string? Data = null);
