using System.Globalization;
using System.Runtime.CompilerServices;

namespace VideoGen.Queue.Sqlite;

/// <summary>Reading this queue's events from the log (queue_events), which every process sharing the file writes.</summary>
public sealed partial class SqliteQueueStore
{
    /// <summary>
    /// Events of this queue from the log in the file, written by any process sharing it. The start
    /// position is taken when this method is called (not when enumeration starts), so nothing written
    /// after the call is missed, and without waiting for the database (<see cref="SqliteQueueDatabase.LogEndNow"/>):
    /// when its reader is busy, the feed starts at the log's end as this process saw it last, and may then
    /// also deliver events other processes wrote just before the call. Writes through this database wake
    /// the reader at once; those of other processes are noticed within <see cref="ForeignCommitPoll"/>. A
    /// reader that falls more than <see cref="EventLogCapacity"/> events behind resumes at the oldest one kept.
    /// </summary>
    public IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, CancellationToken ct)
    {
        long after;
        if (afterPosition is null)
        {
            after = _db.LogEndNow();
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

    /// <summary>The log's end as this read sees it, noted so that feeds opened later can start there without a read.</summary>
    private long LastEventSeq(SqliteSession s)
    {
        var end = (long)s.Command(SqliteStatements.LastEventSeq).ExecuteScalar()!;
        _db.NoteLogEnd(end);
        return end;
    }

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
