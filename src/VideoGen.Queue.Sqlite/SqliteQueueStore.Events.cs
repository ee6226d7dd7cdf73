using System.Globalization;
using System.Runtime.CompilerServices;

namespace VideoGen.Queue.Sqlite;

public sealed partial class SqliteQueueStore
{
    /// <summary>Between looks at <c>PRAGMA data_version</c> while waiting: how soon a commit by another process is noticed.</summary>
    private static readonly TimeSpan ForeignCommitPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Wakes on enqueue, release, recovery, retry, resume and (when limits are set) on finishes, from
    /// any store of this file and queue in this process, at once; a signal that arrived since this
    /// store's last claim returns at once, so a wake-up is never lost. Other processes sharing the file
    /// (say <c>serve</c> and a separate <c>worker</c>) cannot signal this one, so while waiting the store
    /// also looks at SQLite's <c>data_version</c> every 100 ms, which changes when another connection
    /// commits: their enqueues are noticed within about 100 ms instead of at the end of the wait.
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
        var version = await DataVersionAsync(ct);
        while (true)
        {
            var look = Task.Delay(ForeignCommitPoll, cts.Token);
            if (await Task.WhenAny(signal, timeout, look) != look || ct.IsCancellationRequested || await DataVersionAsync(ct) != version)
            {
                break;
            }
        }

        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Changes whenever a connection other than this store's reader commits to the file (any process).</summary>
    private Task<long> DataVersionAsync(CancellationToken ct) =>
        _db.ReadAsync(s => (long)s.Command("PRAGMA data_version;").ExecuteScalar()!, ct);

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
