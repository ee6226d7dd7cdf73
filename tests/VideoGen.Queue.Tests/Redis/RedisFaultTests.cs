using StackExchange.Redis;
using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>Each test starts (and breaks) its own redis-server.</summary>
public sealed class RedisFaultTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Store_AfterClientKill_ReconnectsResubscribesAndCarriesOn()
    {
        await using var server = await RedisServer.StartAsync(Ct);
        await using var factory = new RedisQueueStoreFactory(server.Endpoint);
        await using var producerFactory = new RedisQueueStoreFactory(server.Endpoint);
        var store = factory.Open("kill");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        await store.EnqueueAsync(new EnqueueRequest { Id = "a" }, now, Ct);
        var a = Assert.Single(await store.ClaimAsync(new ClaimRequest("w", 1, Lease), now, Ct));
        await store.WaitForWorkAsync(TimeSpan.Zero, Ct);

        await KillClientsAsync(server, "normal");
        await KillClientsAsync(server, "pubsub");

        Assert.Equal([true], await store.CompleteAsync([new JobCompletion("a", a.LeaseToken)], now, Ct));
        await WaitUntilResubscribedAsync(factory, producerFactory, store.QueueName, now);
        Assert.Equal(JobState.Completed, (await store.GetAsync("a", Ct))!.State);
    }

    [Fact]
    public async Task Store_AfterServerCrashAndRestart_KeepsEveryAcceptedWrite_AndCarriesOn()
    {
        await using var server = await RedisServer.StartAsync(Ct);
        await using var factory = new RedisQueueStoreFactory(server.Endpoint);
        await using var producerFactory = new RedisQueueStoreFactory(server.Endpoint);
        var store = factory.Open("restart");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        await store.EnqueueManyAsync(Enumerable.Range(0, 100).Select(i => new EnqueueRequest { Id = $"j{i}" }).ToList(), now, Ct);
        var claimed = await store.ClaimAsync(new ClaimRequest("w", 10, Lease), now, Ct);
        Assert.Equal(5, (await store.CompleteAsync(claimed.Take(5).Select(c => new JobCompletion(c.Id, c.LeaseToken)).ToList(), now, Ct)).Count(ok => ok));
        await store.WaitForWorkAsync(TimeSpan.Zero, Ct);

        await server.RestartAsync(Ct); // SIGKILL: only what the AOF (appendfsync always) holds survives

        var counts = await store.CountsAsync(Ct);
        Assert.Equal((90L, 5L, 5L), (counts[JobState.Waiting], counts[JobState.Active], counts[JobState.Completed]));
        // Leases survive too, and the scripts are reloaded after NOSCRIPT.
        Assert.Equal(5, (await store.CompleteAsync(claimed.Skip(5).Select(c => new JobCompletion(c.Id, c.LeaseToken)).ToList(), now, Ct)).Count(ok => ok));
        Assert.Equal(10, (await store.ClaimAsync(new ClaimRequest("w", 10, Lease), now, Ct)).Count);
        await WaitUntilResubscribedAsync(factory, producerFactory, store.QueueName, now);
    }

    private static async Task KillClientsAsync(RedisServer server, string type)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},allowAdmin=true");
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", type, "SKIPME", "yes");
    }

    /// <summary>An enqueue from another connection must wake the store's waiter again once it resubscribed.</summary>
    private static async Task WaitUntilResubscribedAsync(RedisQueueStoreFactory factory, RedisQueueStoreFactory producerFactory, string queue, DateTimeOffset now)
    {
        var store = factory.Open(queue);
        var producer = producerFactory.Open(queue);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(Environment.TickCount64) + TimeSpan.FromSeconds(15);
        for (var i = 0; ; i++)
        {
            Assert.True(DateTimeOffset.FromUnixTimeMilliseconds(Environment.TickCount64) < deadline, "the store's work subscription did not come back within 15 s");
            await store.WaitForWorkAsync(TimeSpan.Zero, Ct); // clears a pending wake-up (e.g. from the reconnect)
            var wait = store.WaitForWorkAsync(TimeSpan.FromSeconds(2), Ct);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await producer.EnqueueAsync(new EnqueueRequest { Id = $"probe-{i}-{Guid.NewGuid():N}" }, now, Ct);
            await wait;
            if (sw.Elapsed < TimeSpan.FromSeconds(1))
            {
                return;
            }
        }
    }
}
