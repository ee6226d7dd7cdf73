namespace VideoGen.Queue.Sqlite;

/// <summary>What an idle worker waits for, and how long it may sleep.</summary>
public sealed partial class SqliteQueueStore
{
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
    /// The earliest time a claim could find work that is not claimable now: the next delayed job, or —
    /// when the rate limit holds back waiting jobs — when the oldest start leaves the window. Null when
    /// paused or when nothing is scheduled.
    /// </summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default) =>
        _db.ReadAsync(s =>
        {
            using var reader = s.Command(SqliteStatements.NextDue).With("$q", QueueName).ExecuteReader();
            if (!reader.Read() || reader.GetInt64(0) != 0)
            {
                return (DateTimeOffset?)null;
            }

            var next = reader.GetNullableInt64(3);
            var rateLimited = !reader.IsDBNull(1);
            var oldestStart = reader.GetNullableInt64(4);
            var anyWaiting = reader.GetInt64(5) != 0;
            if (rateLimited && anyWaiting && oldestStart is { } start)
            {
                var reopen = start + reader.GetInt64(2);
                next = next is { } n ? Math.Min(n, reopen) : reopen;
            }

            return Time(next);
        }, ct);
}
