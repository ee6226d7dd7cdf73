using System.Globalization;
using System.Runtime.CompilerServices;

namespace VideoGen.Queue.Sqlite;

public sealed partial class SqliteQueueStore
{
    /// <summary>
    /// Wakes on enqueue, release, recovery, retry, resume and (when limits are set) on finishes,
    /// from any store of this file and queue in this process; never queries the database. A signal
    /// that arrived since this store's last claim returns at once, so a wake-up is never lost.
    /// </summary>
    public async Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken ct = default)
    {
        var seen = Volatile.Read(ref _generationAtClaim);
        var signal = _hub.WaitForWork(seen);
        if (signal.IsCompleted)
        {
            Volatile.Write(ref _generationAtClaim, _hub.WorkGeneration);
            return;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timeout = Task.Delay(maxWait, cts.Token);
        await Task.WhenAny(signal, timeout);
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Events of this queue published in this process. The start position is taken when this method
    /// is called (not when enumeration starts), so nothing published after the call is missed.
    /// </summary>
    public IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, CancellationToken ct)
    {
        long after;
        if (afterPosition is null)
        {
            after = _hub.LastSequence;
        }
        else if (!long.TryParse(afterPosition, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            throw new ArgumentException("The position is not one this store returned.", nameof(afterPosition));
        }

        return ReadFrom(after, ct);
    }

    private async IAsyncEnumerable<JobEvent> ReadFrom(long after, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new List<(long Sequence, JobEvent Event)>(256);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            buffer.Clear();
            var wait = _hub.TryRead(after, buffer, 256);
            if (wait is not null)
            {
                await wait.WaitAsync(ct);
                continue;
            }

            foreach (var (sequence, e) in buffer)
            {
                after = sequence;
                yield return e;
            }
        }
    }
}
