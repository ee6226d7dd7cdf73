using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Hosting;

/// <summary>Hosts one <see cref="QueueWorker"/>: starts it with the host and stops it gracefully with it.</summary>
public sealed class QueueWorkerHostedService : IHostedService, IAsyncDisposable
{
    private readonly QueueWorker _worker;

    public QueueWorkerHostedService(string queueName, QueueWorkerOptions options, IQueueStoreFactory stores, IJobHandler handler, TimeProvider time, ILoggerFactory loggers, IWorkerDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(loggers);
        QueueName = queueName;
        _worker = new QueueWorker(stores.Open(queueName), handler, options, time, loggers.CreateLogger<QueueWorker>(), directory);
    }

    public string QueueName { get; }

    public QueueWorker Worker => _worker;

    public Task StartAsync(CancellationToken cancellationToken) => _worker.StartAsync(cancellationToken);

    /// <summary>Waits for the graceful stop; the host's own shutdown timeout should exceed <see cref="QueueWorkerOptions.ShutdownTimeout"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _worker.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _worker.DisposeAsync();
}
