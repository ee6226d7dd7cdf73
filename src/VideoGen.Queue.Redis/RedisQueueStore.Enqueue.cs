using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

public sealed partial class RedisQueueStore
{
    private const int EnqueueChunk = 500;

    public async Task<EnqueueOutcome> EnqueueAsync(EnqueueRequest job, DateTimeOffset now, CancellationToken ct = default)
    {
        var created = (long)await RunAsync(RedisScript.Enqueue, now, [JobRecord.Spec(job, now)], ct).ConfigureAwait(false);
        if (created > 0)
        {
            SignalWork();
        }

        return created > 0 ? EnqueueOutcome.Created : EnqueueOutcome.AlreadyExists;
    }

    public async Task<int> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> jobs, DateTimeOffset now, CancellationToken ct = default)
    {
        var total = 0;
        for (var start = 0; start < jobs.Count; start += EnqueueChunk)
        {
            var count = Math.Min(EnqueueChunk, jobs.Count - start);
            var specs = new RedisValue[count];
            for (var i = 0; i < count; i++)
            {
                specs[i] = JobRecord.Spec(jobs[start + i], now);
            }

            total += (int)(long)await RunAsync(RedisScript.Enqueue, now, specs, ct).ConfigureAwait(false);
        }

        if (total > 0)
        {
            SignalWork();
        }

        return total;
    }
}
