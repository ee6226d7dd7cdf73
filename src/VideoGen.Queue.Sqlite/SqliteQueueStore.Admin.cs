using System.Globalization;

namespace VideoGen.Queue.Sqlite;

public sealed partial class SqliteQueueStore
{
    public Task<JobInfo?> GetAsync(string jobId, CancellationToken ct = default) =>
        _db.ReadAsync(s =>
        {
            using var reader = s.Command(SqliteStatements.Get).With("$q", QueueName).With("$id", jobId).ExecuteReader();
            return reader.Read() ? ReadJob(reader) : null;
        }, ct);

    public Task<IReadOnlyDictionary<JobState, long>> CountsAsync(CancellationToken ct = default) =>
        _db.ReadAsync<IReadOnlyDictionary<JobState, long>>(s =>
        {
            var counts = JobStates.All.ToDictionary(state => state, _ => 0L);
            using var reader = s.Command(SqliteStatements.Counts).With("$q", QueueName).ExecuteReader();
            while (reader.Read())
            {
                counts[(JobState)reader.GetInt32(0)] = reader.GetInt64(1);
            }

            return counts;
        }, ct);

    /// <summary>Jobs in <paramref name="state"/>, oldest first (enqueue order); the cursor is opaque.</summary>
    public Task<JobPage> ListAsync(JobState state, string? cursor, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!Enum.IsDefined(state))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown job state.");
        }

        long after = 0;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            throw new ArgumentException("The cursor is not one this store returned.", nameof(cursor));
        }

        return _db.ReadAsync(s =>
        {
            var jobs = new List<JobInfo>(limit);
            long lastSeq = 0;
            var more = false;
            using var reader = s.Command(SqliteStatements.List(state))
                .With("$q", QueueName)
                .With("$after", after)
                .With("$limit", limit + 1)
                .ExecuteReader();
            while (reader.Read())
            {
                if (jobs.Count == limit)
                {
                    more = true;
                    break;
                }

                jobs.Add(ReadJob(reader));
                lastSeq = reader.GetInt64(0);
            }

            return new JobPage(jobs, more ? Invariant(lastSeq) : null);
        }, ct);
    }

    public async Task<bool> RetryAsync(string jobId, DateTimeOffset now, CancellationToken ct = default)
    {
        var ok = await WriteAsync((s, events) => Emit(s.Command(SqliteStatements.Retry).With("$q", QueueName).With("$id", jobId).With("$now", Ms(now)).ExecuteNonQuery() == 1, events, new PendingEvent(jobId, JobEventKind.Enqueued, now)), ct);
        if (ok)
        {
            _hub.SignalWork();
        }

        return ok;
    }

    public async Task<bool> RemoveAsync(string jobId, CancellationToken ct = default)
    {
        return await WriteAsync((s, events) => Emit(s.Command(SqliteStatements.Remove).With("$q", QueueName).With("$id", jobId).ExecuteNonQuery() == 1, events, new PendingEvent(jobId, JobEventKind.Removed, TimeProvider.System.GetUtcNow())), ct);
    }

    public Task PauseAsync(CancellationToken ct = default) =>
        WriteAsync((s, _) => s.Command(SqliteStatements.SetPaused).With("$q", QueueName).With("$paused", 1).ExecuteNonQuery(), ct);

    public async Task ResumeAsync(CancellationToken ct = default)
    {
        await WriteAsync((s, _) => s.Command(SqliteStatements.SetPaused).With("$q", QueueName).With("$paused", 0).ExecuteNonQuery(), ct);
        _hub.SignalWork();
    }

    public Task<bool> IsPausedAsync(CancellationToken ct = default) =>
        _db.ReadAsync(s => (long)(s.Command(SqliteStatements.SelectPaused).With("$q", QueueName).ExecuteScalar() ?? 0L) != 0, ct);

    public async Task SetLimitsAsync(QueueLimits limits, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limits.RateWindow, TimeSpan.Zero, "QueueLimits.RateWindow");
        await WriteAsync((s, _) => s.Command(SqliteStatements.SetLimits)
            .With("$q", QueueName)
            .With("$gc", limits.GlobalConcurrency)
            .With("$rate", limits.RateLimit)
            .With("$window", (long)Math.Ceiling(limits.RateWindow.TotalMilliseconds))
            .With("$maxg", limits.MaxActivePerGroup)
            .ExecuteNonQuery(), ct);
        _limitsActive = limits.GlobalConcurrency is not null || limits.MaxActivePerGroup is not null;
        // Raised limits may let idle workers claim now.
        _hub.SignalWork();
    }

    public Task<int> TrimAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var cutoff = Ms(now - policy.MaxAge);
        return WriteAsync((s, _) =>
        {
            var removed = 0;
            foreach (var state in new[] { JobState.Completed, JobState.Failed, JobState.Canceled })
            {
                removed += s.Command(SqliteStatements.TrimByAge(state)).With("$q", QueueName).With("$cutoff", cutoff).ExecuteNonQuery();
                removed += s.Command(SqliteStatements.TrimByCount(state)).With("$q", QueueName).With("$keep", Math.Max(policy.MaxCount, 0)).ExecuteNonQuery();
            }

            return removed;
        }, ct);
    }
}
