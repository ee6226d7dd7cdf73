using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Hosting;
using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Support;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Tests.WorkerPresence;

/// <summary>
/// A <see cref="QueueWorker"/> keeps its directory entry true: announced at start, refreshed (with the
/// running count) on every heartbeat, removed on graceful stop, and gone after the ttl when it stops beating.
/// </summary>
public sealed class QueueWorkerAnnouncementTests : IAsyncDisposable
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SqliteQueueStoreFactory _factory;
    private readonly SqliteWorkerDirectory _workers;
    private readonly List<QueueWorker> _started = [];

    public QueueWorkerAnnouncementTests()
    {
        _factory = new SqliteQueueStoreFactory(Path.Combine(_directory, "queue.db"));
        _workers = new SqliteWorkerDirectory(_factory, _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_AnnouncesTheWorkerWithItsIdentity()
    {
        var worker = await StartAsync("videos", DelegateHandler.Completing(), "w-start");

        var listed = await WaitForEntryAsync("w-start", _ => true, "w-start to be announced");

        Assert.Equal("videos", listed.Queue);
        Assert.Equal(Environment.MachineName, listed.Host);
        Assert.Equal(Environment.ProcessId, listed.ProcessId);
        Assert.Equal(3, listed.Concurrency);
        Assert.Equal(0, listed.RunningJobs);
        Assert.Equal(_time.GetUtcNow(), listed.StartedAt);
        Assert.Equal(_time.GetUtcNow(), listed.LastHeartbeat);
        Assert.Equal("w-start", worker.WorkerId);
    }

    [Fact]
    public async Task Heartbeat_UpdatesRunningJobsAndLastHeartbeat()
    {
        var release = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = await StartAsync("videos", new DelegateHandler((_, _) => release.Task), "w-beat");
        var queue = _factory.Open("videos");
        await WaitForEntryAsync("w-beat", _ => true, "w-beat to be announced");
        var startedAt = _time.GetUtcNow();

        await queue.EnqueueManyAsync([new EnqueueRequest { Id = "a" }, new EnqueueRequest { Id = "b" }], _time.GetUtcNow(), Ct);
        await Eventually.TrueAsync(() => worker.RunningCount == 2, "both handlers to run");
        _time.Advance(Heartbeat);

        var busy = await WaitForEntryAsync("w-beat", w => w.RunningJobs == 2, "the heartbeat to announce 2 running jobs");
        Assert.Equal(_time.GetUtcNow(), busy.LastHeartbeat);
        Assert.Equal(startedAt, busy.StartedAt);

        release.SetResult("ok");
        await Eventually.TrueAsync(() => worker.RunningCount == 0, "both handlers to finish");
        _time.Advance(Heartbeat);

        var idle = await WaitForEntryAsync("w-beat", w => w.RunningJobs == 0, "the heartbeat to announce 0 running jobs");
        Assert.Equal(_time.GetUtcNow(), idle.LastHeartbeat);
    }

    [Fact]
    public async Task Stop_RemovesTheWorker()
    {
        var worker = await StartAsync("videos", DelegateHandler.Completing(), "w-stop");
        var other = await StartAsync("videos", DelegateHandler.Completing(), "w-other");
        await WaitForEntryAsync("w-stop", _ => true, "w-stop to be announced");
        await WaitForEntryAsync("w-other", _ => true, "w-other to be announced");

        await Eventually.CompletesAsync(worker.StopAsync(Ct), "w-stop to stop");

        Assert.Equal(["w-other"], (await _workers.ListAsync(Ct)).Select(w => w.WorkerId));
        Assert.NotNull(other);
    }

    [Fact]
    public async Task WorkerThatStopsBeating_IsNotListedAfterThreeHeartbeatIntervals()
    {
        // The worker's own clock never moves, so after its start announce it never beats again: to the
        // directory (the admin's clock) it looks exactly like a killed process.
        var frozen = new FakeTimeProvider(_time.GetUtcNow());
        var store = _factory.Open("videos");
        var worker = new QueueWorker(store, DelegateHandler.Completing(), Options("w-dead"), frozen, NullLogger<QueueWorker>.Instance, _workers);
        _started.Add(worker);
        await worker.StartAsync(Ct);
        await WaitForEntryAsync("w-dead", _ => true, "w-dead to be announced");

        _time.Advance(Heartbeat * WorkerAnnouncer.TtlHeartbeats - TimeSpan.FromMilliseconds(1));
        Assert.Single(await _workers.ListAsync(Ct));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(await _workers.ListAsync(Ct));
    }

    [Fact]
    public async Task AddQueueWorker_AnnouncesToTheBackendsRegisteredDirectory_AndRemovesOnHostStop()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSqliteQueue(Path.Combine(_directory, "hosted.db"));
        services.AddQueueWorker<NoopHandler>("hosted", o => o.WorkerId = "w-hosted");
        await using var provider = services.BuildServiceProvider();
        var directory = provider.GetRequiredService<IWorkerDirectory>();
        Assert.IsType<SqliteWorkerDirectory>(directory);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(Ct);
        }

        await Eventually.TrueAsync(async () => (await directory.ListAsync(Ct)).Any(w => w.WorkerId == "w-hosted" && w.Queue == "hosted"), "the hosted worker to be announced");
        foreach (var service in hosted)
        {
            await service.StopAsync(Ct);
        }

        Assert.Empty(await directory.ListAsync(Ct));
    }

    private static QueueWorkerOptions Options(string workerId) => new()
    {
        WorkerId = workerId,
        Concurrency = 3,
        LeaseDuration = TimeSpan.FromSeconds(30),
        HeartbeatInterval = Heartbeat,
        IdleWaitCeiling = TimeSpan.FromSeconds(1),
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    private async Task<QueueWorker> StartAsync(string queue, IJobHandler handler, string workerId)
    {
        var worker = new QueueWorker(_factory.Open(queue), handler, Options(workerId), _time, NullLogger<QueueWorker>.Instance, _workers);
        _started.Add(worker);
        await worker.StartAsync(Ct);
        return worker;
    }

    private async Task<WorkerInfo> WaitForEntryAsync(string workerId, Func<WorkerInfo, bool> condition, string waitingFor)
    {
        WorkerInfo? found = null;
        await Eventually.TrueAsync(
            async () =>
            {
                found = (await _workers.ListAsync(Ct)).SingleOrDefault(w => w.WorkerId == workerId);
                return found is not null && condition(found);
            },
            waitingFor);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _started)
        {
            var stop = worker.StopAsync(CancellationToken.None);
            for (var i = 0; i < 200 && !stop.IsCompleted; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(stop, Task.Delay(50, CancellationToken.None));
            }
        }

        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public sealed class NoopHandler : IJobHandler
    {
        public Task<string?> HandleAsync(JobContext job, CancellationToken ct) => Task.FromResult<string?>(null);
    }
}
