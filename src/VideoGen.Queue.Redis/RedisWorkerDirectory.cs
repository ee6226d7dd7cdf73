using System.Text.Json;
using StackExchange.Redis;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Redis;

/// <summary>
/// The worker directory of the Redis backend. Each queue keeps one hash under its own hash tag,
/// <c>{prefix}:{queue}:workers</c> (field = worker id, value = JSON with the info and its expiry), and the
/// names of queues with announced workers are kept in the set <c>{prefix}:worker-queues</c> so a listing
/// can find them without scanning keys. Expiry is judged by the injected clock (as leases are); an expired
/// entry is dropped when read, by a transaction that deletes it only if it was not announced again meanwhile.
/// </summary>
/// <remarks>
/// Every command touches one key, so the layout works on Redis Cluster. No Lua: an announce is one HSET,
/// a removal one HDEL per known queue. Register next to the store factory, e.g.
/// <c>services.AddSingleton&lt;IWorkerDirectory&gt;(sp =&gt; new RedisWorkerDirectory(sp.GetRequiredService&lt;RedisQueueStoreFactory&gt;().Connection, options.KeyPrefix, sp.GetRequiredService&lt;TimeProvider&gt;()))</c>.
/// </remarks>
public sealed class RedisWorkerDirectory : IWorkerDirectory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly TimeProvider _time;

    /// <param name="redis">The backend's long-lived connection (<see cref="RedisQueueStoreFactory.Connection"/>).</param>
    /// <param name="keyPrefix">The backend's <see cref="RedisQueueOptions.KeyPrefix"/>. <value>The default value is "vgq".</value></param>
    /// <param name="time">The clock expiry is judged by. <value>The default value is the system clock.</value></param>
    public RedisWorkerDirectory(IConnectionMultiplexer redis, string keyPrefix = "vgq", TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPrefix);
        _redis = redis;
        _prefix = keyPrefix;
        _time = time ?? TimeProvider.System;
        QueuesKey = $"{keyPrefix}:worker-queues";
    }

    internal string KeyPrefix => _prefix;

    /// <summary>The set of queue names that have (or had) announced workers.</summary>
    internal RedisKey QueuesKey { get; }

    /// <summary>The hash of <paramref name="queue"/>'s workers, under the queue's hash tag.</summary>
    internal RedisKey WorkersKey(string queue) => $"{_prefix}:{{{queue}}}:workers";

    public async Task AnnounceAsync(WorkerInfo info, TimeSpan ttl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrWhiteSpace(info.WorkerId, "WorkerInfo.WorkerId");
        ValidateQueueName(info.Queue);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ct.ThrowIfCancellationRequested();
        var entry = JsonSerializer.Serialize(new Entry(info, (info.LastHeartbeat + ttl).ToUnixTimeMilliseconds()), Json);
        var db = _redis.GetDatabase();
        // The queue is made findable first, so a listed entry's queue is always in the set.
        await db.SetAddAsync(QueuesKey, info.Queue).WaitAsync(ct);
        await db.HashSetAsync(WorkersKey(info.Queue), info.WorkerId, entry).WaitAsync(ct);
    }

    public async Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken ct = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var db = _redis.GetDatabase();
        var list = new List<WorkerInfo>();
        foreach (var queue in await db.SetMembersAsync(QueuesKey).WaitAsync(ct))
        {
            var key = WorkersKey(queue!);
            foreach (var field in await db.HashGetAllAsync(key).WaitAsync(ct))
            {
                var entry = Parse(field.Value);
                if (entry is not null && entry.ExpiresAtMs > now)
                {
                    list.Add(entry.Info);
                    continue;
                }

                // Dead worker (or an unreadable entry): delete it unless it was announced again since we read it.
                var drop = db.CreateTransaction();
                drop.AddCondition(Condition.HashEqual(key, field.Name, field.Value));
                _ = drop.HashDeleteAsync(key, field.Name);
                await drop.ExecuteAsync().WaitAsync(ct);
            }
        }

        list.Sort((a, b) =>
        {
            var byQueue = string.CompareOrdinal(a.Queue, b.Queue);
            return byQueue != 0 ? byQueue : string.CompareOrdinal(a.WorkerId, b.WorkerId);
        });
        return list;
    }

    public async Task<bool> RemoveAsync(string workerId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var db = _redis.GetDatabase();
        var removed = false;
        foreach (var queue in await db.SetMembersAsync(QueuesKey).WaitAsync(ct))
        {
            removed |= await db.HashDeleteAsync(WorkersKey(queue!), workerId).WaitAsync(ct);
        }

        return removed;
    }

    private static void ValidateQueueName(string queue)
    {
        if (string.IsNullOrWhiteSpace(queue) || queue.IndexOfAny(['{', '}']) >= 0)
        {
            throw new ArgumentException("A queue name must be non-empty and may not contain '{' or '}'.", nameof(queue));
        }
    }

    private static Entry? Parse(RedisValue raw)
    {
        try
        {
            return raw.IsNullOrEmpty ? null : JsonSerializer.Deserialize<Entry>((string)raw!, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The stored form: the info as announced and when it stops being listed (Unix ms, announcer's clock + ttl).</summary>
    private sealed record Entry(WorkerInfo Info, long ExpiresAtMs);
}
