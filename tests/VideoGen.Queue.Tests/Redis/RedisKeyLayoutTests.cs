using StackExchange.Redis;

namespace VideoGen.Queue.Tests.Redis;

public sealed class RedisKeyLayoutTests(RedisServerFixture redis) : RedisStoreTestBase(redis)
{
    [Fact]
    public async Task AllKeysOfAQueue_ShareItsHashTag()
    {
        var store = NewStore("layout");
        await store.SetLimitsAsync(new QueueLimits { RateLimit = 100, MaxActivePerGroup = 5, GlobalConcurrency = 50 }, Ct);
        await store.EnqueueManyAsync([Job("a", group: "g1"), Job("b", group: "g2"), Job("c") with { RunAt = Time.GetUtcNow().AddSeconds(1) }], Time.GetUtcNow(), Ct);
        var claimed = await ClaimAsync(store, 2);
        await store.CompleteAsync([new JobCompletion(claimed[0].Id, claimed[0].LeaseToken)], Time.GetUtcNow(), Ct);
        await store.FailAsync(new JobFailure(claimed[1].Id, claimed[1].LeaseToken, "x", false, Time.GetUtcNow()), Time.GetUtcNow(), Ct);
        await store.PauseAsync(Ct);
        await store.CancelAsync("c", "test", Time.GetUtcNow(), Ct);

        var server = Redis.Factory.Connection.GetServers().Single();
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: $"*{store.QueueName}*", pageSize: 100))
        {
            keys.Add(key!);
        }

        Assert.True(keys.Count >= 8, $"expected the queue's keys, found: {string.Join(", ", keys)}");
        Assert.All(keys, k => Assert.StartsWith(store.KeyTag, k, StringComparison.Ordinal));
        var tag = "{" + store.QueueName + "}";
        Assert.All(keys, k => Assert.Equal(tag, k.Substring(k.IndexOf('{', StringComparison.Ordinal), tag.Length)));
        Assert.Single(keys.Select(k => HashSlot(k)).Distinct());
    }

    /// <summary>The Redis Cluster slot of a key (CRC16 of the hash tag mod 16384).</summary>
    private static int HashSlot(RedisKey key)
    {
        var s = (string)key!;
        var open = s.IndexOf('{', StringComparison.Ordinal);
        var close = s.IndexOf('}', open + 1);
        var tagged = open >= 0 && close > open + 1 ? s[(open + 1)..close] : s;
        ushort crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(tagged))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc % 16384;
    }
}
