using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

public sealed partial class RedisQueueStore
{
    /// <summary>Most jobs one script call handles (Lua's unpack() limit is ~8,000 values; this also bounds a script's run time).</summary>
    private const int MaxBatch = 1000;

    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(ClaimRequest request, DateTimeOffset now, CancellationToken ct = default)
    {
        if (request.Max <= 0)
        {
            return [];
        }

        NoteClaimStarting();
        var result = await RunAsync(RedisScript.Claim, now, ClaimArgs(request), ct).ConfigureAwait(false);
        return ParseClaimed(result);
    }

    public async Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, DateTimeOffset now, CancellationToken ct = default)
    {
        if (completions.Count == 0)
        {
            return [];
        }

        var flags = new List<bool>(completions.Count);
        foreach (var chunk in completions.Chunk(MaxBatch))
        {
            var args = new List<RedisValue>(chunk.Length * 3);
            AddCompletions(args, chunk);
            flags.AddRange(ParseFlags(await RunAsync(RedisScript.Complete, now, args, ct).ConfigureAwait(false), chunk.Length));
        }

        return flags;
    }

    public async Task<CompleteAndClaimResult> CompleteAndClaimAsync(IReadOnlyList<JobCompletion> completions, ClaimRequest next, DateTimeOffset now, CancellationToken ct = default)
    {
        var flags = new List<bool>(completions.Count);
        var split = Math.Max(0, completions.Count - MaxBatch);
        if (split > 0)
        {
            flags.AddRange(await CompleteAsync(completions.Take(split).ToList(), now, ct).ConfigureAwait(false));
        }

        var last = completions.Skip(split).ToList();
        NoteClaimStarting();
        var args = ClaimArgs(next);
        AddCompletions(args, last);
        var result = (RedisResult[])(await RunAsync(RedisScript.CompleteAndClaim, now, args, ct).ConfigureAwait(false))!;
        flags.AddRange(ParseFlags(result[0], last.Count));
        return new CompleteAndClaimResult(flags, ParseClaimed(result[1]));
    }

    public async Task<FailOutcome> FailAsync(JobFailure failure, DateTimeOffset now, CancellationToken ct = default)
    {
        var outcome = (string?)await RunAsync(
            RedisScript.Fail,
            now,
            [failure.JobId, failure.LeaseToken, failure.Error, failure.Retryable ? 1 : 0, JobRecord.Ms(failure.RetryAt)],
            ct).ConfigureAwait(false);
        return outcome switch
        {
            "retrying" => FailOutcome.Retrying,
            "failed" or "canceled" => FailOutcome.Failed,
            _ => FailOutcome.StaleLease,
        };
    }

    public async Task<bool> ReleaseAsync(LeaseRef lease, DateTimeOffset runAt, DateTimeOffset now, CancellationToken ct = default)
    {
        var released = (long)await RunAsync(RedisScript.Release, now, [lease.JobId, lease.LeaseToken, JobRecord.Ms(runAt)], ct).ConfigureAwait(false) == 1;
        if (released && runAt <= now)
        {
            SignalWork();
        }

        return released;
    }

    public async Task<bool> MarkCanceledAsync(LeaseRef lease, string reason, DateTimeOffset now, CancellationToken ct = default) =>
        (long)await RunAsync(RedisScript.MarkCanceled, now, [lease.JobId, lease.LeaseToken, reason], ct).ConfigureAwait(false) == 1;

    public async Task<LeaseRenewal> ExtendLeasesAsync(string workerId, IReadOnlyList<LeaseRef> leases, TimeSpan lease, DateTimeOffset now, CancellationToken ct = default)
    {
        if (leases.Count == 0)
        {
            return LeaseRenewal.None;
        }

        var lost = new List<string>();
        var cancel = new List<string>();
        foreach (var chunk in leases.Chunk(MaxBatch))
        {
            var args = new List<RedisValue>(2 + (chunk.Length * 2)) { workerId, (long)lease.TotalMilliseconds };
            foreach (var l in chunk)
            {
                args.Add(l.JobId);
                args.Add(l.LeaseToken);
            }

            var result = (RedisResult[])(await RunAsync(RedisScript.ExtendLeases, now, args, ct).ConfigureAwait(false))!;
            lost.AddRange(Strings(result[0]));
            cancel.AddRange(Strings(result[1]));
        }

        return new LeaseRenewal(lost, cancel);
    }

    public async Task<int> RecoverExpiredAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var total = 0;
        for (var round = 0; round < 100; round++)
        {
            var n = (int)(long)await RunAsync(RedisScript.Recover, now, [500], ct).ConfigureAwait(false);
            total += n;
            if (n < 500)
            {
                break;
            }
        }

        if (total > 0)
        {
            SignalWork();
        }

        return total;
    }

    public async Task<bool> ReportProgressAsync(LeaseRef lease, string progress, DateTimeOffset now, CancellationToken ct = default) =>
        (long)await RunAsync(RedisScript.Progress, now, [lease.JobId, lease.LeaseToken, progress], ct).ConfigureAwait(false) == 1;

    private static List<RedisValue> ClaimArgs(ClaimRequest request) =>
    [
        request.WorkerId,
        Math.Clamp(request.Max, 0, MaxBatch),
        (long)request.Lease.TotalMilliseconds,
        Guid.NewGuid().ToString("N") + ":",
    ];

    private static void AddCompletions(List<RedisValue> args, IReadOnlyList<JobCompletion> completions)
    {
        foreach (var c in completions)
        {
            args.Add(c.JobId);
            args.Add(c.LeaseToken);
            args.Add(c.Result is null ? "" : "1" + c.Result);
        }
    }

    /// <summary>Reads the flat claim reply: the lease expiry, then <see cref="JobRecord.ClaimedFields"/> values per job.</summary>
    private static List<ClaimedJob> ParseClaimed(RedisResult result)
    {
        var items = (RedisResult[])result!;
        if (items.Length == 0)
        {
            return [];
        }

        var expires = (long)items[0];
        var jobs = new List<ClaimedJob>((items.Length - 1) / JobRecord.ClaimedFields);
        for (var i = 1; i + JobRecord.ClaimedFields <= items.Length; i += JobRecord.ClaimedFields)
        {
            jobs.Add(JobRecord.ToClaimed(items.AsSpan(i, JobRecord.ClaimedFields), expires));
        }

        return jobs;
    }

    private static bool[] ParseFlags(RedisResult result, int count)
    {
        var items = (RedisResult[])result!;
        var flags = new bool[count];
        for (var i = 0; i < count && i < items.Length; i++)
        {
            flags[i] = (long)items[i] == 1;
        }

        return flags;
    }

    private static string[] Strings(RedisResult result) =>
        ((RedisResult[])result!).Select(r => (string)r!).ToArray();
}
