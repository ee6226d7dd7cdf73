using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using VideoGen.Queue.Redis;
using VideoGen.Queue.Tests.Redis;
using VideoGen.Queue.Tests.Support;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Tests.WorkerPresence;

/// <summary>The directory suite on Redis (own key prefix per test), plus what only Redis promises.</summary>
public sealed class RedisWorkerDirectoryTests : WorkerDirectoryTests, IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;
    private readonly RedisWorkerDirectory _directory;

    public RedisWorkerDirectoryTests(RedisServerFixture redis)
    {
        _redis = redis;
        _directory = new RedisWorkerDirectory(redis.Factory.Connection, "wd" + Guid.NewGuid().ToString("N")[..12], Time);
    }

    protected override IWorkerDirectory Directory => _directory;

    private IDatabase Db => _redis.Factory.Connection.GetDatabase();

    [Fact]
    public async Task WorkersOfAQueue_LiveUnderTheQueuesHashTag()
    {
        await Directory.AnnounceAsync(Info("w1", "videos"), Ttl, Ct);

        var key = _directory.WorkersKey("videos");

        Assert.Contains("{videos}", (string)key!, StringComparison.Ordinal);
        Assert.Equal(["w1"], (await Db.HashKeysAsync(key)).Select(k => (string)k!));
    }

    [Fact]
    public async Task List_DeletesExpiredEntriesFromRedis()
    {
        await Directory.AnnounceAsync(Info("dead"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("alive") with { LastHeartbeat = Time.GetUtcNow() + Ttl }, Ttl, Ct);
        Time.Advance(Ttl);

        Assert.Equal(["alive"], (await Directory.ListAsync(Ct)).Select(w => w.WorkerId));

        Assert.Equal(["alive"], (await Db.HashKeysAsync(_directory.WorkersKey("videos"))).Select(k => (string)k!));
    }

    [Fact]
    public async Task List_SkipsAndDeletesAnUnreadableEntry()
    {
        await Directory.AnnounceAsync(Info("w1"), Ttl, Ct);
        await Db.HashSetAsync(_directory.WorkersKey("videos"), "garbage", "not json");

        Assert.Equal(["w1"], (await Directory.ListAsync(Ct)).Select(w => w.WorkerId));
        Assert.False(await Db.HashExistsAsync(_directory.WorkersKey("videos"), "garbage"));
    }

    [Fact]
    public async Task QueueWorkerOnRedis_AnnouncesAtStart_AndRemovesItselfOnStop()
    {
        var store = new RedisQueueStoreFactory(_redis.Factory.Connection, time: TimeProvider.System).OpenRedis(RedisServerFixture.NewQueueName("wd"));
        var options = new QueueWorkerOptions { WorkerId = "redis-w1", Concurrency = 2, HeartbeatInterval = TimeSpan.FromSeconds(10), LeaseDuration = TimeSpan.FromSeconds(30) };
        var worker = new QueueWorker(store, DelegateHandler.Completing(), options, TimeProvider.System, NullLogger<QueueWorker>.Instance, _directory);
        try
        {
            await worker.StartAsync(Ct);
            await Eventually.TrueAsync(
                async () => (await new RedisWorkerDirectory(_redis.Factory.Connection, _directory.KeyPrefix).ListAsync(Ct)).Any(w => w.WorkerId == "redis-w1" && w.Queue == store.QueueName && w.Concurrency == 2),
                "the worker to announce itself on Redis");
        }
        finally
        {
            await Eventually.CompletesAsync(worker.StopAsync(CancellationToken.None), "the worker to stop");
        }

        Assert.Empty(await Db.HashKeysAsync(_directory.WorkersKey(store.QueueName)));
    }

    [Fact]
    public async Task Announce_OnAQueueNameWithABrace_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Directory.AnnounceAsync(Info("w1", queue: "a{b"), Ttl, Ct));
    }
}
