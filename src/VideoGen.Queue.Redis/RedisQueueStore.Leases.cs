using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>While a job runs: lease renewal and progress; when its worker is gone: recovery of expired leases.</summary>
public sealed partial class RedisQueueStore
{
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

    public async Task<bool> ReportProgressAsync(LeaseRef lease, string progress, DateTimeOffset now, CancellationToken ct = default) =>
        (long)await RunAsync(RedisScript.Progress, now, [lease.JobId, lease.LeaseToken, progress], ct).ConfigureAwait(false) == 1;

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

    private static string[] Strings(RedisResult result) =>
        ((RedisResult[])result!).Select(r => (string)r!).ToArray();
}
