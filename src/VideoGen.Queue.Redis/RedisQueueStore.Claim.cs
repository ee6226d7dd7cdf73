using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>Leasing jobs: a claim, or the claim loop's complete-and-claim in one script call.</summary>
public sealed partial class RedisQueueStore
{
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

    private static List<RedisValue> ClaimArgs(ClaimRequest request) =>
    [
        request.WorkerId,
        Math.Clamp(request.Max, 0, MaxBatch),
        (long)request.Lease.TotalMilliseconds,
        Guid.NewGuid().ToString("N") + ":",
    ];

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
}
