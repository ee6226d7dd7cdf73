namespace VideoGen.Queue.Sqlite;

/// <summary>How a lease holder ends an attempt: complete, fail (retry or for good), or release it unburnt.</summary>
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
}
