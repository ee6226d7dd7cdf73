namespace VideoGen.Queue.Sqlite;

public sealed partial class SqliteQueueStore
{
    public async Task<EnqueueOutcome> EnqueueAsync(EnqueueRequest job, DateTimeOffset now, CancellationToken ct = default)
    {
        var created = await EnqueueManyAsync([job], now, ct);
        return created == 1 ? EnqueueOutcome.Created : EnqueueOutcome.AlreadyExists;
    }

    public async Task<int> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> jobs, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
        {
            Validate(job);
        }

        if (jobs.Count == 0)
        {
            return 0;
        }

        var nowMs = Ms(now);
        var created = await WriteAsync((s, events) =>
        {
            var count = 0;
            foreach (var job in jobs)
            {
                var runAt = job.RunAt is { } at && Ms(at) > nowMs ? Ms(at) : nowMs;
                var delayed = runAt > nowMs;
                var changed = s.Command(SqliteStatements.Enqueue)
                    .With("$q", QueueName)
                    .With("$id", job.Id)
                    .With("$state", (int)(delayed ? JobState.Delayed : JobState.Waiting))
                    .With("$payload", job.Payload ?? "")
                    .With("$priority", job.Priority)
                    .With("$grp", StoredGroup(job.Group))
                    .With("$max", job.MaxAttempts)
                    .With("$bb", job.Backoff.BaseDelay.TotalMilliseconds)
                    .With("$bm", job.Backoff.MaxDelay.TotalMilliseconds)
                    .With("$bj", job.Backoff.Jitter)
                    .With("$now", nowMs)
                    .With("$run_at", runAt)
                    .ExecuteNonQuery();
                if (changed == 1)
                {
                    count++;
                    events.Add(new PendingEvent(job.Id, delayed ? JobEventKind.Delayed : JobEventKind.Enqueued, now));
                }
            }

            return count;
        }, ct);

        if (created > 0)
        {
            // Delayed jobs wake idle workers too, so they re-read the next due time and sleep exactly until it.
            _hub.SignalWork();
        }

        return created;
    }

    private static void Validate(EnqueueRequest job)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Id, "EnqueueRequest.Id");
        ArgumentOutOfRangeException.ThrowIfLessThan(job.MaxAttempts, 1, "EnqueueRequest.MaxAttempts");
        ArgumentNullException.ThrowIfNull(job.Backoff, "EnqueueRequest.Backoff");
    }
}
