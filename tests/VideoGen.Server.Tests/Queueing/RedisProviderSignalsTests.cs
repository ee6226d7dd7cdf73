// Not "...Tests.Queueing": that would shadow VideoGen.Server.Queueing for the tests that write "Queueing.X".
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using VideoGen.Core.Providers;
using VideoGen.Queue;
using VideoGen.Queue.Redis;
using VideoGen.Server.Hosting;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.RedisQueueing;

/// <summary>
/// Provider signals over the Redis backend's notifications. Two "processes" (two <see cref="CrossProcessProviderSignals"/>
/// over two <see cref="RedisQueueNotifications"/> on two separate connections) against a real redis-server: a signal on
/// one wakes a wait on the other long before the wait's timeout.
/// </summary>
public sealed class RedisProviderSignalsTests : IAsyncLifetime
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WokenWithin = TimeSpan.FromSeconds(5);

    private readonly string _queue = $"signals-{Guid.NewGuid():N}";
    private RedisServer _server = null!;
    private readonly List<(ConnectionMultiplexer Redis, CrossProcessProviderSignals Signals)> _processes = [];

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var (redis, signals) in _processes)
        {
            await signals.StopAsync(CancellationToken.None);
            await redis.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public void ChannelFor_UsesTheQueueKeyStyleWithHashTag()
    {
        Assert.Equal("vgq:{videos}:provider-signals", RedisQueueNotifications.ChannelFor("videos", CrossProcessProviderSignals.ChannelName).ToString());
    }

    [Fact]
    public async Task Signal_InOneProcess_WakesTheWaitInAnother_LongBeforeItsTimeout()
    {
        var api = await StartProcessAsync();
        var worker = await StartProcessAsync();
        var watch = Stopwatch.StartNew();
        var wait = worker.WaitAsync("req-1", LongWait, TestContext.Current.CancellationToken);

        await api.SignalAsync("req-1", TestContext.Current.CancellationToken);

        await AssertCompletesWithinAsync(wait, WokenWithin, "the worker's wait for req-1 to be woken by the API process's signal");
        Assert.True(watch.Elapsed < WokenWithin, $"woken after {watch.Elapsed}");
    }

    [Fact]
    public async Task Signal_ForAnotherRequest_DoesNotWakeTheWait()
    {
        var api = await StartProcessAsync();
        var worker = await StartProcessAsync();
        var wait = worker.WaitAsync("req-waiting", TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var watch = Stopwatch.StartNew();

        await api.SignalAsync("req-other", TestContext.Current.CancellationToken);
        await wait;

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"the wait for req-waiting ended after {watch.Elapsed}, before its 1 s timeout");
    }

    [Fact]
    public async Task Signal_WakesTheLocalWaitAtOnce_AndItsOwnEchoLeavesNoStaleSignal()
    {
        var worker = await StartProcessAsync();
        var other = await StartProcessAsync();
        var first = worker.WaitAsync("req-own", LongWait, TestContext.Current.CancellationToken);

        await worker.SignalAsync("req-own", TestContext.Current.CancellationToken);
        await AssertCompletesWithinAsync(first, WokenWithin, "the local wait for req-own");

        // A later message on the channel has been delivered to the worker once this wait returns; its own echo, if any, too.
        await other.SignalAsync("req-marker", TestContext.Current.CancellationToken);
        await AssertCompletesWithinAsync(worker.WaitAsync("req-marker", LongWait, TestContext.Current.CancellationToken), WokenWithin, "the marker signal");
        var watch = Stopwatch.StartNew();
        await worker.WaitAsync("req-own", TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"the next wait for req-own returned after {watch.Elapsed}: the process's own echo was kept as a pending signal");
    }

    [Fact]
    public async Task Signal_AfterRedisRestarts_StillWakesTheOtherProcess()
    {
        var api = await StartProcessAsync();
        var worker = await StartProcessAsync();

        await _server.RestartAsync(TestContext.Current.CancellationToken);

        // Messages published before the worker's connection is back and resubscribed are lost (polling covers
        // them); the multiplexer resubscribes by itself, so within a bounded time a signal gets through again.
        var deadline = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            var requestId = $"req-after-restart-{attempt}";
            var wait = worker.WaitAsync(requestId, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            var watch = Stopwatch.StartNew();
            await api.SignalAsync(requestId, TestContext.Current.CancellationToken);
            await wait;
            if (watch.Elapsed < TimeSpan.FromMilliseconds(800))
            {
                return;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"no signal crossed processes within 30 s of the Redis restart ({attempt} attempts)");
        }
    }

    [Fact]
    public async Task RedisBackend_RegistersRedisSignals_AndSubscribesAsAHostedService()
    {
        using var dir = new TempDir();
        var host = VideoGenHost.BuildWorker(
            [$"--VideoGen:DataDir={dir.Path}", "--VideoGen:Queue:Backend=redis", $"--ConnectionStrings:Redis={_server.Endpoint}"], runWorkers: false);
        try
        {
            var signals = Assert.IsType<CrossProcessProviderSignals>(host.Services.GetRequiredService<IProviderSignals>());
            Assert.Same(signals, Assert.Single(host.Services.GetServices<IHostedService>().OfType<CrossProcessProviderSignals>()));
            Assert.Equal("vgq:{videos}:provider-signals", signals.Channel.Name);
            // No second connection: the signals ride on the queue backend's.
            var notifications = Assert.IsType<RedisQueueNotifications>(host.Services.GetRequiredService<IQueueNotifications>());
            Assert.Same(host.Services.GetRequiredService<RedisQueueStoreFactory>().Connection, notifications.Connection);
        }
        finally
        {
            // The Redis factory is only IAsyncDisposable, so the container must be disposed asynchronously.
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    [Fact]
    public void SqliteBackend_KeepsInProcessSignals()
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}"], runWorkers: false);

        Assert.IsType<InProcessProviderSignals>(host.Services.GetRequiredService<IProviderSignals>());
        Assert.Empty(host.Services.GetServices<IHostedService>().OfType<CrossProcessProviderSignals>());
    }

    private async Task<CrossProcessProviderSignals> StartProcessAsync()
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(RedisQueueStoreFactory.Configure(_server.Endpoint));
        var notifications = new RedisQueueNotifications(redis, logger: NullLogger<RedisQueueNotifications>.Instance);
        var signals = new CrossProcessProviderSignals(notifications.Open(_queue, CrossProcessProviderSignals.ChannelName), new InProcessProviderSignals(TimeProvider.System));
        _processes.Add((redis, signals));
        await signals.StartAsync(TestContext.Current.CancellationToken);
        return signals;
    }

    private static async Task AssertCompletesWithinAsync(Task task, TimeSpan timeout, string what)
    {
        var first = await Task.WhenAny(task, Task.Delay(timeout, TestContext.Current.CancellationToken));
        Assert.True(first == task, $"Timed out after {timeout.TotalSeconds:0} s waiting for {what}");
        await task;
    }
}
