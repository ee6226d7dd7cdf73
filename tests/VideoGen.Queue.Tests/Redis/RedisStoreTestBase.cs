using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>Each test gets a fresh queue on the class's redis-server and a fake clock.</summary>
public abstract class RedisStoreTestBase(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected RedisServerFixture Redis => redis;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected RedisQueueStore NewStore(string hint = "q") =>
        new RedisQueueStoreFactory(redis.Factory.Connection, time: Time).OpenRedis(RedisServerFixture.NewQueueName(hint));

    protected static EnqueueRequest Job(string id, int priority = 0, string? group = null, int maxAttempts = 3) =>
        new() { Id = id, Priority = priority, Group = group, MaxAttempts = maxAttempts, Payload = $"{{\"id\":\"{id}\"}}" };

    protected Task<IReadOnlyList<ClaimedJob>> ClaimAsync(IQueueStore store, int max, string worker = "w1") =>
        store.ClaimAsync(new ClaimRequest(worker, max, Lease), Time.GetUtcNow(), Ct);
}
