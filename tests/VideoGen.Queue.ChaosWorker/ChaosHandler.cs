using StackExchange.Redis;

namespace VideoGen.Queue.ChaosWorker;

/// <summary>
/// Records every execution so the chaos test can check the queue's promises from outside:
/// <c>exec</c> counts executions per job (written before the work), <c>success</c> holds one field per
/// job id + attempt that finished its work, and <c>dupsuccess</c> counts a job + attempt finishing twice.
/// </summary>
internal sealed class ChaosHandler(IDatabase db, string queue, string workerId) : IJobHandler
{
    private readonly RedisKey _exec = $"chaos:{{{queue}}}:exec";
    private readonly RedisKey _success = $"chaos:{{{queue}}}:success";
    private readonly RedisKey _dup = $"chaos:{{{queue}}}:dupsuccess";

    public async Task<string?> HandleAsync(JobContext job, CancellationToken ct)
    {
        await db.HashIncrementAsync(_exec, job.Id);
        await Task.Delay(Random.Shared.Next(5, 21), ct);
        if (!await db.HashSetAsync(_success, $"{job.Id}:{job.Attempt}", workerId, When.NotExists))
        {
            await db.HashIncrementAsync(_dup, job.Id);
        }

        return null;
    }
}
