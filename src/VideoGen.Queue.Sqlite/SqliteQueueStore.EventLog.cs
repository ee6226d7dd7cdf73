using System.Buffers;
using System.Text;
using System.Text.Json;

namespace VideoGen.Queue.Sqlite;

/// <summary>Writing the event log (queue_events): each write's events commit in the same transaction as its change.</summary>
public sealed partial class SqliteQueueStore
{
    /// <summary>Events the file keeps (all its queues together); older ones are deleted as new ones arrive.</summary>
    public const long EventLogCapacity = 65_536;

    /// <summary>The log is trimmed each time its sequence crosses a multiple of this: one range delete per that many events.</summary>
    private const long EventTrimStep = 4_096;

    /// <summary>
    /// Every write of the store: runs <paramref name="work"/> in one write transaction and appends the
    /// events it collected to the log in that same transaction (a change and its event commit together),
    /// then wakes this database's event readers (and cancel feeds, for a cancel request). The store's first
    /// write also adds the queue's settings row, so opening a store never waits for the writer.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteSession, List<PendingEvent>, T> work, CancellationToken ct)
    {
        var events = new List<PendingEvent>();
        long logEnd = 0;
        var addQueueRow = !_queueRowWritten;
        var result = await _db.WriteAsync(s =>
        {
            if (addQueueRow)
            {
                s.Command(SqliteStatements.EnsureQueue).With("$q", QueueName).ExecuteNonQuery();
            }

            var r = work(s, events);
            logEnd = AppendEvents(s, events);
            return r;
        }, ct);
        _queueRowWritten = true;
        if (events.Count > 0)
        {
            _db.NoteLogEnd(logEnd);
            _hub.SignalEvents();
            if (events.Exists(static e => e.Kind == JobEventKind.CancelRequested))
            {
                _hub.SignalCancels();
            }
        }

        return result;
    }

    /// <summary>Adds <paramref name="e"/> when the change happened; returns whether it did.</summary>
    private static bool Emit(bool changed, List<PendingEvent> events, PendingEvent e)
    {
        if (changed)
        {
            events.Add(e);
        }

        return changed;
    }

    private static JobEventKind KindAfterFail(JobState state) => state switch
    {
        JobState.Waiting or JobState.Delayed => JobEventKind.Retrying,
        JobState.Canceled => JobEventKind.Canceled,
        _ => JobEventKind.Failed,
    };

    /// <summary>Inserts <paramref name="events"/> into the log; returns the log's new end (0 when there were none).</summary>
    private long AppendEvents(SqliteSession s, List<PendingEvent> events)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        s.Command(SqliteStatements.InsertEvents).With("$q", QueueName).With("$events", EventsJson(events)).ExecuteNonQuery();
        var last = (long)s.Command(SqliteStatements.LastInsertRowId).ExecuteScalar()!;
        var first = last - events.Count + 1;
        if (last > EventLogCapacity && (first - 1) / EventTrimStep != last / EventTrimStep)
        {
            s.Command(SqliteStatements.TrimEvents).With("$upto", last - EventLogCapacity).ExecuteNonQuery();
        }

        return last;
    }

    /// <summary>One write's events as a JSON array of [job id, kind, at ms, data or null], inserted by one statement.</summary>
    private static string EventsJson(List<PendingEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Count * 48);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var e in events)
            {
                w.WriteStartArray();
                w.WriteStringValue(e.JobId);
                w.WriteNumberValue((int)e.Kind);
                w.WriteNumberValue(Ms(e.At));
                if (e.Data is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteStringValue(e.Data);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
