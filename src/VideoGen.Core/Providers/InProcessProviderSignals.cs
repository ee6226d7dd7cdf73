namespace VideoGen.Core.Providers;

/// <summary>
/// Wakes waiters in this process only (the local renderer signals its own state changes; a webhook
/// received by this process wakes its own jobs). A multi-process deployment wraps or replaces it
/// with a bus that crosses processes; polling stays the safety net either way, so a signal sent
/// while nobody waits is simply dropped.
/// </summary>
public sealed class InProcessProviderSignals(TimeProvider time) : IProviderSignals
{
    private readonly Dictionary<string, Entry> _waiters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_waiters.TryGetValue(requestId, out entry!))
            {
                _waiters[requestId] = entry = new Entry();
            }
            entry.Count++;
        }
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(timeout, time, cts.Token);
            var first = await Task.WhenAny(entry.Signal.Task, delay);
            await cts.CancelAsync();
            if (first != entry.Signal.Task)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--entry.Count == 0 && _waiters.TryGetValue(requestId, out var current) && current == entry)
                {
                    _waiters.Remove(requestId);
                }
            }
        }
    }

    public Task SignalAsync(string requestId, CancellationToken ct)
    {
        Entry? entry;
        lock (_gate)
        {
            _waiters.Remove(requestId, out entry);
        }
        entry?.Signal.TrySetResult();
        return Task.CompletedTask;
    }

    private sealed class Entry
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Count { get; set; }
    }
}
