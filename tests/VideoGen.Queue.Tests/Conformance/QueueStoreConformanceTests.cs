using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

/// <summary>
/// The queue's rules, written only against <see cref="IQueueStore"/>, <see cref="QueueWorker"/> and
/// <see cref="JobQueue"/>. Every backend runs all of them through one subclass. Each test uses its own
/// queue; calling <see cref="CreateStoreAsync"/> twice with the same name must give two independent
/// handles on the same queue, as two processes would have.
/// </summary>
/// <remarks>Split by concern into <c>QueueStoreConformanceTests.*.cs</c>.</remarks>
public abstract partial class QueueStoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<IQueueStore> _stores = [];
    private readonly List<(QueueWorker Worker, FakeTimeProvider? Time)> _workers = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens a handle on <paramref name="queueName"/> (created empty on first use). Disposed by the suite.</summary>
    protected abstract Task<IQueueStore> CreateStoreAsync(string queueName);

    protected static string NewQueueName() => "q" + Guid.NewGuid().ToString("N")[..12];

    protected async Task<IQueueStore> NewStoreAsync(string? queueName = null)
    {
        var store = await CreateStoreAsync(queueName ?? NewQueueName());
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>A second handle on the same queue, as another process would open it.</summary>
    protected Task<IQueueStore> OtherHandleAsync(IQueueStore store) => NewStoreAsync(store.QueueName);

    protected static EnqueueRequest Job(string id, int priority = 0, string? group = null, DateTimeOffset? runAt = null, int maxAttempts = 3, BackoffPolicy? backoff = null, string payload = "") =>
        new()
        {
            Id = id,
            Priority = priority,
            Group = group,
            RunAt = runAt,
            MaxAttempts = maxAttempts,
            Backoff = backoff ?? BackoffPolicy.Default,
            Payload = payload,
        };

    protected static ClaimRequest Claim(int max = 1, string worker = "w1", TimeSpan? lease = null) =>
        new(worker, max, lease ?? TimeSpan.FromSeconds(30));

    protected static async Task<ClaimedJob> ClaimOneAsync(IQueueStore store, DateTimeOffset now, string worker = "w1", TimeSpan? lease = null)
    {
        var claimed = await store.ClaimAsync(Claim(1, worker, lease), now, Ct);
        return Assert.Single(claimed);
    }

    protected static async Task<JobInfo> GetAsync(IQueueStore store, string id) =>
        await store.GetAsync(id, Ct) ?? throw new InvalidOperationException($"job {id} not found");

    protected static Task WaitForStateAsync(IQueueStore store, string id, JobState state, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(async () => (await store.GetAsync(id, Ct))?.State == state, $"job {id} to be {state}", timeout);

    protected static QueueWorkerOptions Options(Action<QueueWorkerOptions>? configure = null)
    {
        var options = new QueueWorkerOptions
        {
            WorkerId = "worker-" + Guid.NewGuid().ToString("N")[..8],
            Concurrency = 4,
            LeaseDuration = TimeSpan.FromSeconds(30),
            HeartbeatInterval = TimeSpan.FromSeconds(10),
            RecoveryInterval = TimeSpan.FromSeconds(5),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            IdleWaitCeiling = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Starts a worker the suite stops at the end (advancing a fake clock if needed so stop cannot hang).</summary>
    protected async Task<QueueWorker> StartWorkerAsync(IQueueStore store, IJobHandler handler, TimeProvider time, QueueWorkerOptions options)
    {
        var worker = new QueueWorker(store, handler, options, time, NullLogger<QueueWorker>.Instance);
        lock (_workers)
        {
            _workers.Add((worker, time as FakeTimeProvider));
        }

        await worker.StartAsync(Ct);
        return worker;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var (worker, fake) in _workers)
        {
            var stop = worker.StopAsync(CancellationToken.None);
            for (var i = 0; i < 200 && !stop.IsCompleted; i++)
            {
                fake?.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(stop, Task.Delay(50, CancellationToken.None));
            }
        }

        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DisposeBackendAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the backend's subclass set up (temp files, connections), after all stores are disposed.</summary>
    protected virtual ValueTask DisposeBackendAsync() => ValueTask.CompletedTask;
}
