using System.Runtime.CompilerServices;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// Canceling: a waiting or delayed job ends canceled at once; an active one is flagged, its worker is
/// asked to stop, and the lease holder ends it with <see cref="MarkCanceledAsync"/>. Workers hear of
/// requests from the event log (<see cref="ReadCancelRequestsAsync"/>) and, as a safety net, from lease renewal.
/// </summary>
public sealed partial class SqliteQueueStore
{
    public async Task<CancelOutcome> CancelAsync(string jobId, string reason, DateTimeOffset now, CancellationToken ct = default)
    {
        return await WriteAsync((s, events) =>
        {
            var state = (long?)s.Command(SqliteStatements.SelectState).With("$q", QueueName).With("$id", jobId).ExecuteScalar();
            switch ((JobState?)state)
            {
                case null:
                    return CancelOutcome.NotFound;
                case JobState.Waiting or JobState.Delayed:
                    s.Command(SqliteStatements.CancelPending).With("$q", QueueName).With("$id", jobId).With("$now", Ms(now)).With("$reason", reason).ExecuteNonQuery();
                    events.Add(new PendingEvent(jobId, JobEventKind.Canceled, now, reason));
                    return CancelOutcome.Canceled;
                case JobState.Active:
                    s.Command(SqliteStatements.RequestCancel).With("$q", QueueName).With("$id", jobId).ExecuteNonQuery();
                    events.Add(new PendingEvent(jobId, JobEventKind.CancelRequested, now, reason));
                    return CancelOutcome.CancelRequested;
                default:
                    return CancelOutcome.AlreadyFinished;
            }
        }, ct);
    }

    public async Task<bool> MarkCanceledAsync(LeaseRef lease, string reason, DateTimeOffset now, CancellationToken ct = default)
    {
        var ok = await WriteAsync((s, events) => Emit(s.Command(SqliteStatements.MarkCanceled)
            .With("$q", QueueName)
            .With("$id", lease.JobId)
            .With("$token", lease.LeaseToken)
            .With("$now", Ms(now))
            .With("$reason", reason)
            .ExecuteNonQuery() == 1, events, new PendingEvent(lease.JobId, JobEventKind.Canceled, now, reason)), ct);
        if (ok)
        {
            if (_limitsActive)
            {
                _hub.SignalWork();
            }
        }

        return ok;
    }

    /// <summary>
    /// Cancel requests from the log, without reading the other events: each look takes the log's end,
    /// then the requests up to it, so a look costs the rows written since the last one. Woken at once by
    /// a request written in this process, and every <see cref="ForeignCommitPoll"/> for other processes.
    /// Like <see cref="ReadEventsAsync"/>, it starts where the log ends at this call, without waiting for the database.
    /// </summary>
    public IAsyncEnumerable<string> ReadCancelRequestsAsync(CancellationToken ct)
    {
        return CancelRequestsFrom(_db.LogEndNow(), ct);
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
}
