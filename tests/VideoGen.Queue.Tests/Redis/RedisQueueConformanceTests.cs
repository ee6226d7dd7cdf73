using VideoGen.Queue.Redis;
using VideoGen.Queue.Tests.Conformance;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>
/// The conformance suite on the Redis backend. Every handle is a new store object (its own wake-up
/// state and script cache) over the class's redis-server, as another process would open it.
/// </summary>
public sealed class RedisQueueConformanceTests(RedisServerFixture redis) : QueueStoreConformanceTests, IClassFixture<RedisServerFixture>
{
    protected override Task<IQueueStore> CreateStoreAsync(string queueName) =>
        Task.FromResult<IQueueStore>(new RedisQueueStoreFactory(redis.Factory.Connection).OpenRedis(queueName));
}
