namespace VideoGen.Queue.Sqlite;

/// <summary>While a job runs: lease renewal and progress; when its worker is gone: recovery of expired leases.</summary>
public sealed partial class SqliteQueueStore
{
    public async Task<LeaseRenewal> ExtendLeasesAsync(string workerId, IReadOnlyList<LeaseRef> leases, TimeSpan lease, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (leases.Count == 0)
        {
            return LeaseRenewal.None;
        }

        var expires = Ms(now + lease);
        return await WriteAsync((s, _) =>
        {
            var lost = new List<string>();
            var cancel = new List<string>();
            foreach (var l in leases)
            {
                var flag = (long?)s.Command(SqliteStatements.ExtendLease)
                    .With("$q", QueueName)
                    .With("$id", l.JobId)
                    .With("$token", l.LeaseToken)
                    .With("$expires", expires)
                    .ExecuteScalar();
                if (flag is null)
                {
                    lost.Add(l.JobId);
                }
                else if (flag != 0)
                {
                    cancel.Add(l.JobId);
                }
            }

            return lost.Count == 0 && cancel.Count == 0 ? LeaseRenewal.None : new LeaseRenewal(lost, cancel);
        }, ct);
    }

    public async Task<bool> ReportProgressAsync(LeaseRef lease, string progress, DateTimeOffset now, CancellationToken ct = default)
    {
        return await WriteAsync((s, events) => Emit(s.Command(SqliteStatements.Progress)
            .With("$q", QueueName)
            .With("$id", lease.JobId)
            .With("$token", lease.LeaseToken)
            .With("$progress", progress)
            .ExecuteNonQuery() == 1, events, new PendingEvent(lease.JobId, JobEventKind.Progress, now, progress)), ct);
    }

    public async Task<int> RecoverExpiredAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var anyWaiting = false;
        var count = await WriteAsync((s, events) =>
        {
            var n = 0;
            using var reader = s.Command(SqliteStatements.RecoverExpired).With("$q", QueueName).With("$now", Ms(now)).ExecuteReader();
            while (reader.Read())
            {
                n++;
                var state = (JobState)reader.GetInt32(1);
                anyWaiting |= state == JobState.Waiting;
                var kind = state switch
                {
                    JobState.Waiting => JobEventKind.Recovered,
                    JobState.Canceled => JobEventKind.Canceled,
                    _ => JobEventKind.Failed,
                };
                events.Add(new PendingEvent(reader.GetString(0), kind, now, kind == JobEventKind.Failed ? "lease expired: the worker stopped renewing it" : null));
            }

            return n;
        }, ct);
        if (anyWaiting || (count > 0 && _limitsActive))
        {
            _hub.SignalWork();
        }

        return count;
    }
}
