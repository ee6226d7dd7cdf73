namespace VideoGen.Core.Providers;

/// <summary>
/// Wakes waiters in this process only (the local renderer signals its own state changes; a webhook
/// received by this process wakes its own jobs). A multi-process deployment wraps it in
/// <see cref="CrossProcessProviderSignals"/>; polling stays the safety net either way. A signal that
/// arrives while nobody waits (the job is between two waits, saving a status) is kept briefly so the
/// next wait for that request returns at once instead of sleeping a whole poll interval.
/// </summary>
public sealed class InProcessProviderSignals(TimeProvider time) : IProviderSignals
{
    private readonly Dictionary<string, Entry> _waiters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Signals kept for absent waiters are bounded in number and age; polling covers any dropped.</summary>
    internal const int MaxPending = 10_000;

    internal static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    public async Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct)
    {
        Entry entry;
        lock (_gate)
        {
            if (_pending.Remove(requestId, out var at) && time.GetUtcNow() - at < PendingLifetime)
            {
                return;
            }
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
            if (!_waiters.Remove(requestId, out entry))
            {
                KeepPending(requestId);
            }
        }
        entry?.Signal.TrySetResult();
        return Task.CompletedTask;
    }

    private void KeepPending(string requestId)
    {
        var now = time.GetUtcNow();
        if (_pending.Count >= MaxPending)
        {
            foreach (var stale in _pending.Where(p => now - p.Value >= PendingLifetime).Select(p => p.Key).ToList())
            {
                _pending.Remove(stale);
            }
            if (_pending.Count >= MaxPending)
            {
                _pending.Clear();
            }
        }
        _pending[requestId] = now;
    }

    private sealed class Entry
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Count { get; set; }
    }
}
