using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>How a lease holder ends an attempt: complete, fail (retry or for good), or release it unburnt.</summary>
public sealed partial class RedisQueueStore
{
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

    private static void AddCompletions(List<RedisValue> args, IReadOnlyList<JobCompletion> completions)
    {
        foreach (var c in completions)
        {
            args.Add(c.JobId);
            args.Add(c.LeaseToken);
            args.Add(c.Result is null ? "" : "1" + c.Result);
        }
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
}
