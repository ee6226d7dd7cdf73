using System.Globalization;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

public sealed partial class RedisQueueStore
{
    public async Task<bool> RetryAsync(string jobId, DateTimeOffset now, CancellationToken ct = default)
    {
        var moved = (long)await RunAsync(RedisScript.Retry, now, [jobId], ct).ConfigureAwait(false) == 1;
        if (moved)
        {
            SignalWork();
        }

        return moved;
    }

    public async Task<bool> RemoveAsync(string jobId, CancellationToken ct = default) =>
        (long)await RunAsync(RedisScript.Remove, _time.GetUtcNow(), [jobId], ct).ConfigureAwait(false) == 1;

    public async Task<JobInfo?> GetAsync(string jobId, CancellationToken ct = default)
    {
        var (raw, hot, lease) = await RetryTransientAsync(
            async () =>
            {
                var batch = Db.CreateBatch();
                var rawTask = batch.HashGetAsync(_keys.Jobs, jobId);
                var hotTask = batch.HashGetAsync(_keys.Hot, jobId);
                var leaseTask = batch.SortedSetScoreAsync(_keys.Active, jobId);
                batch.Execute();
                return (await rawTask.ConfigureAwait(false), await hotTask.ConfigureAwait(false), await leaseTask.ConfigureAwait(false));
            },
            ct).ConfigureAwait(false);
        return raw.IsNull || hot.IsNull ? null : JobRecord.ToInfo(raw!, hot!, lease);
    }

    public async Task<IReadOnlyDictionary<JobState, long>> CountsAsync(CancellationToken ct = default) =>
        await RetryTransientAsync(
            async () =>
            {
                var batch = Db.CreateBatch();
                var tasks = JobStates.All.ToDictionary(s => s, s => batch.SortedSetLengthAsync(_keys.ForState(s)));
                batch.Execute();
                var counts = new Dictionary<JobState, long>();
                foreach (var (state, task) in tasks)
                {
                    counts[state] = await task.ConfigureAwait(false);
                }

                return (IReadOnlyDictionary<JobState, long>)counts;
            },
            ct).ConfigureAwait(false);

    /// <summary>
    /// Pages through one state: waiting in claim order, delayed by run-at, active by lease expiry,
    /// finished states newest first. The cursor is an offset into that order.
    /// </summary>
    public async Task<JobPage> ListAsync(JobState state, string? cursor, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var offset = cursor is null ? 0 : long.Parse(cursor, CultureInfo.InvariantCulture);
        var order = state.IsTerminal() ? Order.Descending : Order.Ascending;
        var entries = await RetryTransientAsync(
            () => Db.SortedSetRangeByRankWithScoresAsync(_keys.ForState(state), offset, offset + limit, order),
            ct).ConfigureAwait(false);
        var page = entries.Take(limit).ToArray();
        var ids = page.Select(e => state == JobState.Waiting ? (RedisValue)((string)e.Element!)[30..] : e.Element).ToArray();
        var (raws, hots) = ids.Length == 0 ? ([], []) : await RetryTransientAsync(
            async () =>
            {
                var batch = Db.CreateBatch();
                var rawTask = batch.HashGetAsync(_keys.Jobs, ids);
                var hotTask = batch.HashGetAsync(_keys.Hot, ids);
                batch.Execute();
                return (await rawTask.ConfigureAwait(false), await hotTask.ConfigureAwait(false));
            },
            ct).ConfigureAwait(false);
        var jobs = new List<JobInfo>(raws.Length);
        for (var i = 0; i < raws.Length; i++)
        {
            if (!raws[i].IsNull && !hots[i].IsNull)
            {
                jobs.Add(JobRecord.ToInfo(raws[i]!, hots[i]!, state == JobState.Active ? page[i].Score : null));
            }
        }

        var next = entries.Length > limit ? (offset + limit).ToString(CultureInfo.InvariantCulture) : null;
        return new JobPage(jobs, next);
    }

    public async Task PauseAsync(CancellationToken ct = default) =>
        await RetryTransientAsync(() => Db.HashSetAsync(_keys.Meta, "paused", "1"), ct).ConfigureAwait(false);

    public async Task ResumeAsync(CancellationToken ct = default)
    {
        await RetryTransientAsync(() => Db.HashDeleteAsync(_keys.Meta, "paused"), ct).ConfigureAwait(false);
        await PublishWorkAsync(ct).ConfigureAwait(false);
    }

    public async Task<bool> IsPausedAsync(CancellationToken ct = default) =>
        await RetryTransientAsync(() => Db.HashGetAsync(_keys.Meta, "paused"), ct).ConfigureAwait(false) == "1";

    public async Task SetLimitsAsync(QueueLimits limits, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var set = new List<HashEntry>();
        var unset = new List<RedisValue>();
        void Field(string name, long? value)
        {
            if (value is { } v)
            {
                set.Add(new HashEntry(name, v));
            }
            else
            {
                unset.Add(name);
            }
        }

        Field("conc", limits.GlobalConcurrency);
        Field("rate", limits.RateLimit);
        Field("ratewin", limits.RateLimit is null ? null : Math.Max(1, (long)limits.RateWindow.TotalMilliseconds));
        Field("gmax", limits.MaxActivePerGroup);
        await RetryTransientAsync(
            async () =>
            {
                var tx = Db.CreateTransaction();
                _ = tx.HashDeleteAsync(_keys.Meta, unset.ToArray());
                if (set.Count > 0)
                {
                    _ = tx.HashSetAsync(_keys.Meta, set.ToArray());
                }

                return await tx.ExecuteAsync().ConfigureAwait(false);
            },
            ct).ConfigureAwait(false);
        await PublishWorkAsync(ct).ConfigureAwait(false);
    }

    public async Task<int> TrimAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken ct = default)
    {
        const int batch = 1000;
        var cutoff = JobRecord.Ms(now - policy.MaxAge);
        var total = 0;
        for (var round = 0; round < 1000; round++)
        {
            var n = (int)(long)await RunAsync(RedisScript.Trim, now, [cutoff, Math.Max(0, policy.MaxCount), batch], ct).ConfigureAwait(false);
            total += n;
            if (n == 0)
            {
                break;
            }
        }

        return total;
    }

    private async Task PublishWorkAsync(CancellationToken ct)
    {
        SignalWork();
        await RetryTransientAsync(() => _redis.GetSubscriber().PublishAsync(_keys.WorkChannel, "1"), ct).ConfigureAwait(false);
    }
}
