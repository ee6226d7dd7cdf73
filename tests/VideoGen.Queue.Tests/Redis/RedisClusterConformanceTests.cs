using VideoGen.Queue.Redis;
using VideoGen.Queue.Tests.Conformance;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>
/// The conformance suite on a three-primary Redis Cluster: every key of a queue shares the hash tag
/// <c>{queueName}</c>, so each script's keys live in one slot, and different queues spread over the
/// primaries. Every handle is a new store object over the class's cluster connection.
/// </summary>
public sealed class RedisClusterConformanceTests(RedisClusterFixture cluster) : QueueStoreConformanceTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<IQueueStore> CreateStoreAsync(string queueName) =>
        Task.FromResult<IQueueStore>(new RedisQueueStoreFactory(cluster.Factory.Connection).OpenRedis(queueName));
}
