using Microsoft.Extensions.Logging;

namespace VideoGen.Queue;

/// <summary>
/// Runs a queue's jobs in this process: claims up to <see cref="QueueWorkerOptions.Concurrency"/>
/// jobs, renews all their leases in one batched heartbeat that does not depend on handler code,
/// recovers expired leases of dead workers, and on stop releases what it could not finish.
/// </summary>
public sealed partial class QueueWorker : IAsyncDisposable
{
    private readonly IQueueStore _store;
    private readonly IJobHandler _handler;
    private readonly QueueWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public QueueWorker(IQueueStore store, IJobHandler handler, QueueWorkerOptions options, TimeProvider time, ILogger<QueueWorker> logger)
    {
        _store = store;
        _handler = handler;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string WorkerId => _options.WorkerId;

    /// <summary>Handlers running right now.</summary>
    public int RunningCount => throw new NotImplementedException();

    /// <summary>Starts claiming. Returns once the loops are running.</summary>
    public Task StartAsync(CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Stops claiming, lets running jobs finish up to the shutdown timeout, then cancels them and releases their leases.</summary>
    public Task StopAsync(CancellationToken ct = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => new(StopAsync());
}
