using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

public sealed partial class RedisQueueStore
{
    private const int EnqueueChunk = 200;

    public async Task<EnqueueOutcome> EnqueueAsync(EnqueueRequest job, DateTimeOffset now, CancellationToken ct = default)
    {
        long created;
        try
        {
            var args = new RedisValue[JobRecord.EnqueueFields];
            JobRecord.AddEnqueueArgs(args, job, now);
            created = (long)await RunAsync(RedisScript.Enqueue, now, args, ct, signalsLocally: true).ConfigureAwait(false);
        }
        catch
        {
            // The script may have run (its echo is ignored here): wake local waiters anyway.
            SignalWork();
            throw;
        }

        if (created > 0)
        {
            SignalWork();
        }

        return created > 0 ? EnqueueOutcome.Created : EnqueueOutcome.AlreadyExists;
    }

    /// <summary>
    /// Sends every chunk before awaiting any (StackExchange.Redis pipelines them on the connection), so
    /// the client builds the next chunk while Redis runs the previous one; each chunk stays one atomic
    /// script, small enough not to hold Redis for long. Chunks are written in order; only a chunk
    /// retried after a connection failure may land after a later one (ids stay idempotent).
    /// </summary>
    public async Task<int> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> jobs, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
        {
            // Checked before anything is sent, so a bad id in a late chunk does not leave earlier chunks written.
            ArgumentException.ThrowIfNullOrEmpty(job.Id);
        }

        var calls = new Task<RedisResult>[(jobs.Count + EnqueueChunk - 1) / EnqueueChunk];
        for (var c = 0; c < calls.Length; c++)
        {
            var start = c * EnqueueChunk;
            var count = Math.Min(EnqueueChunk, jobs.Count - start);
            var args = new RedisValue[count * JobRecord.EnqueueFields];
            for (var i = 0; i < count; i++)
            {
                JobRecord.AddEnqueueArgs(args.AsSpan(i * JobRecord.EnqueueFields, JobRecord.EnqueueFields), jobs[start + i], now);
            }

            calls[c] = RunAsync(RedisScript.Enqueue, now, args, ct, signalsLocally: true);
        }

        RedisResult[] results;
        try
        {
            results = await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch
        {
            // Other chunks may have been written (their echoes are ignored here): wake local waiters anyway.
            SignalWork();
            throw;
        }

        var total = 0;
        foreach (var result in results)
        {
            total += (int)(long)result;
        }

        if (total > 0)
        {
            SignalWork();
        }

        return total;
    }
}
