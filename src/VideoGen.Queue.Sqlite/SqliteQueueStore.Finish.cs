namespace VideoGen.Queue.Sqlite;

public sealed partial class SqliteQueueStore
{
    public async Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        if (completions.Count == 0)
        {
            return [];
        }

        var completed = await WriteAsync((s, events) => Complete(s, completions, now, events), ct);
        if (_limitsActive && completed.Contains(true))
        {
            _hub.SignalWork();
        }

        return completed;
    }

    private List<bool> Complete(SqliteSession s, IReadOnlyList<JobCompletion> completions, DateTimeOffset now, List<PendingEvent> events)
    {
        var nowMs = Ms(now);
        var results = new List<bool>(completions.Count);
        Dictionary<string, long>? freedByGroup = null;
        long freed = 0;
        foreach (var c in completions)
        {
            // RETURNING yields the group of a completed job; no row (stale lease) gives null.
            var group = s.Command(SqliteStatements.Complete)
                .With("$q", QueueName)
                .With("$id", c.JobId)
                .With("$token", c.LeaseToken)
                .With("$now", nowMs)
                .With("$result", c.Result)
                .ExecuteScalar() as string;
            var ok = group is not null;
            results.Add(ok);
            if (ok)
            {
                freed++;
                freedByGroup ??= new Dictionary<string, long>(StringComparer.Ordinal);
                freedByGroup[group!] = freedByGroup.GetValueOrDefault(group!) + 1;
                events.Add(new PendingEvent(c.JobId, JobEventKind.Completed, now, c.Result));
            }
        }

        if (freed > 0)
        {
            s.Command(SqliteStatements.CompletedMetaCounters).With("$q", QueueName).With("$n", freed).ExecuteNonQuery();
            foreach (var (group, n) in freedByGroup!)
            {
                s.Command(SqliteStatements.CompletedGroupCounters).With("$q", QueueName).With("$grp", group).With("$n", n).ExecuteNonQuery();
            }
        }

        return results;
    }

    public async Task<FailOutcome> FailAsync(JobFailure failure, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var state = await WriteAsync((s, events) =>
        {
            var newState = (long?)s.Command(SqliteStatements.Fail)
                .With("$q", QueueName)
                .With("$id", failure.JobId)
                .With("$token", failure.LeaseToken)
                .With("$now", Ms(now))
                .With("$retryable", failure.Retryable ? 1 : 0)
                .With("$retry_at", Math.Max(Ms(failure.RetryAt), Ms(now)))
                .With("$error", failure.Error)
                .ExecuteScalar();
            if (newState is { } st)
            {
                events.Add(new PendingEvent(failure.JobId, KindAfterFail((JobState)st), now, failure.Error));
            }

            return newState;
        }, ct);
        if (state is not { } newState)
        {
            return FailOutcome.StaleLease;
        }

        var kind = KindAfterFail((JobState)newState);
        if ((JobState)newState == JobState.Waiting || _limitsActive)
        {
            _hub.SignalWork();
        }

        return kind == JobEventKind.Retrying ? FailOutcome.Retrying : FailOutcome.Failed;
    }

    public async Task<bool> ReleaseAsync(LeaseRef lease, DateTimeOffset runAt, DateTimeOffset now, CancellationToken ct = default)
    {
        var state = await WriteAsync((s, events) =>
        {
            var newState = (long?)s.Command(SqliteStatements.Release)
                .With("$q", QueueName)
                .With("$id", lease.JobId)
                .With("$token", lease.LeaseToken)
                .With("$now", Ms(now))
                .With("$run_at", Math.Max(Ms(runAt), Ms(now)))
                .ExecuteScalar();
            if (newState is { } st)
            {
                events.Add(new PendingEvent(lease.JobId, (JobState)st == JobState.Canceled ? JobEventKind.Canceled : JobEventKind.Released, now));
            }

            return newState;
        }, ct);
        if (state is null)
        {
            return false;
        }

        _hub.SignalWork();
        return true;
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

    public async Task<LeaseRenewal> ExtendLeasesAsync(string workerId, IReadOnlyList<LeaseRef> leases, TimeSpan lease, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        if (leases.Count == 0)
        {
            return LeaseRenewal.None;
        }

        var expires = Ms(now + lease);
        return await _db.WriteAsync(s =>
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
}
