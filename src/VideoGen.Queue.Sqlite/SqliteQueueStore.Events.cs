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
        // The version the last claim saw, not a fresh one: a commit between that claim and now counts.
        var version = Volatile.Read(ref _dataVersionAtClaim);
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

    private Task<long> DataVersionAsync(CancellationToken ct) => _db.WriterDataVersionAsync(ct);

    /// <summary>
    /// Events of this queue from the log in the file, written by any process sharing it. The start
    /// position is taken when this method is called (not when enumeration starts), so nothing written
    /// after the call is missed. Writes through this database wake the reader at once; those of other
    /// processes are noticed within <see cref="ForeignCommitPoll"/>. A reader that falls more than
    /// <see cref="EventLogCapacity"/> events behind resumes at the oldest one kept.
    /// </summary>
    public IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, CancellationToken ct)
    {
        long after;
        if (afterPosition is null)
        {
            after = LastEventSeqNow(ct);
        }
        else if (!long.TryParse(afterPosition, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            throw new ArgumentException("The position is not one this store returned.", nameof(afterPosition));
        }

        return ReadFrom(after, ct);
    }

    private async IAsyncEnumerable<JobEvent> ReadFrom(long after, [EnumeratorCancellation] CancellationToken ct)
    {
        const int batch = 256;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            // Taken before the read: a write committed after it signals a generation this reader has not seen.
            var seen = _hub.EventGeneration;
            var from = after;
            var (events, upTo) = await _db.ReadAsync(s => ReadEvents(s, from, batch), ct);
            foreach (var (sequence, e) in events)
            {
                after = sequence;
                yield return e;
            }

            if (events.Count < batch)
            {
                // Nothing more of this queue up to the log's end: skip other queues' events next time.
                after = Math.Max(after, upTo);
                await Task.WhenAny(_hub.WaitForEvents(seen), Task.Delay(ForeignCommitPoll, ct)).WaitAsync(ct);
            }
        }
    }

    /// <summary>
    /// Cancel requests from the log, without reading the other events: each look takes the log's end,
    /// then the requests up to it, so a look costs the rows written since the last one. Woken at once by
    /// a request written in this process, and every <see cref="ForeignCommitPoll"/> for other processes.
    /// </summary>
    public IAsyncEnumerable<string> ReadCancelRequestsAsync(CancellationToken ct)
    {
        return CancelRequestsFrom(LastEventSeqNow(ct), ct);
    }

    private async IAsyncEnumerable<string> CancelRequestsFrom(long after, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var seen = _hub.CancelGeneration;
            var from = after;
            var (upTo, ids) = await _db.ReadAsync(s =>
            {
                var end = LastEventSeq(s);
                var found = new List<string>();
                if (end > from)
                {
                    using var reader = s.Command(SqliteStatements.EventIdsOfKind)
                        .With("$q", QueueName).With("$after", from).With("$upto", end).With("$kind", (int)JobEventKind.CancelRequested)
                        .ExecuteReader();
                    while (reader.Read())
                    {
                        found.Add(reader.GetString(0));
                    }
                }

                return (end, found);
            }, ct);
            after = Math.Max(after, upTo);
            foreach (var id in ids)
            {
                yield return id;
            }

            await Task.WhenAny(_hub.WaitForCancels(seen), Task.Delay(ForeignCommitPoll, ct)).WaitAsync(ct);
        }
    }

    private static long LastEventSeq(SqliteSession s) => (long)s.Command(SqliteStatements.LastEventSeq).ExecuteScalar()!;

    /// <summary>The log's end, read when a feed is opened: its start position is fixed by the call, not by the first read.</summary>
    private long LastEventSeqNow(CancellationToken ct) => _db.ReadAsync(LastEventSeq, ct).GetAwaiter().GetResult();

    /// <summary>Up to <paramref name="limit"/> events of this queue after <paramref name="after"/>, and the log's end when they were read.</summary>
    private (List<(long Sequence, JobEvent Event)> Events, long UpTo) ReadEvents(SqliteSession s, long after, int limit)
    {
        var end = LastEventSeq(s);
        var list = new List<(long, JobEvent)>();
        if (end <= after)
        {
            return (list, end);
        }

        using var reader = s.Command(SqliteStatements.ReadEvents).With("$q", QueueName).With("$after", after).With("$upto", end).With("$limit", limit).ExecuteReader();
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            var position = sequence.ToString(CultureInfo.InvariantCulture);
            list.Add((sequence, new JobEvent(QueueName, reader.GetString(1), (JobEventKind)reader.GetInt32(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetNullableString(4), position)));
        }

        return (list, end);
    }
}
