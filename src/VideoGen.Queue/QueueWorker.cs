using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue;

/// <summary>
/// Runs a queue's jobs in this process: claims up to <see cref="QueueWorkerOptions.Concurrency"/>
/// jobs, renews all their leases in one batched heartbeat that does not depend on handler code,
/// recovers expired leases of dead workers, and on stop releases what it could not finish.
/// </summary>
/// <remarks>
/// The worker is split by concern: <c>QueueWorker.Claiming.cs</c> (claim loop, batched completions, idle
/// wait), <c>QueueWorker.Dispatch.cs</c> (the ready buffer, handler slots, runners that start jobs, claiming
/// ahead), <c>QueueWorker.Execution.cs</c> (running a handler and mapping its outcome),
/// <c>QueueWorker.Leases.cs</c> (heartbeat, cancel requests, recovery), <c>QueueWorker.Shutdown.cs</c>.
/// All time comes from the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed partial class QueueWorker : IAsyncDisposable
{
    private readonly IQueueStore _store;
    private readonly IJobHandler _handler;
    private readonly QueueWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkerAnnouncer? _announcer;
    private readonly ClaimAheadPolicy _claimAhead;

    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(RunningJob Run, JobCompletion Completion)> _completed = new();
    private readonly WakeSignal _wake = new();
    private readonly TaskCompletionSource _claimingStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _stopBackground = new();
    private readonly Lock _lifecycle = new();
    private readonly List<Task> _loops = [];
    private Task? _stopTask;
    private bool _started;
    private int _handlersRunning;
    private DateTimeOffset? _lastTrim;

    /// <summary>
    /// A worker on <paramref name="store"/>'s queue. With a <paramref name="directory"/> it announces itself
    /// there when it starts and on every heartbeat, and removes itself on graceful stop; without one it is not listed.
    /// </summary>
    public QueueWorker(IQueueStore store, IJobHandler handler, QueueWorkerOptions options, TimeProvider time, ILogger<QueueWorker> logger, IWorkerDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _store = store;
        _handler = handler;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _claimAhead = new ClaimAheadPolicy(options.Concurrency, options.ClaimAhead);
        _announcer = directory is null ? null : new WorkerAnnouncer(directory, options.WorkerId, store.QueueName, options, _time, logger);
    }

    public string WorkerId => _options.WorkerId;

    /// <summary>Handlers running right now (never more than <see cref="QueueWorkerOptions.Concurrency"/>).</summary>
    public int RunningCount => Volatile.Read(ref _handlersRunning);

    /// <summary>Starts claiming. Returns once the loops are running.</summary>
    public Task StartAsync(CancellationToken ct = default)
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_stopTask is not null, this);
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            _startContext = ExecutionContext.Capture();
            // Timers are created here, not inside the loops, so their schedule starts at StartAsync
            // (a fake clock advanced right after start still fires them).
            var heartbeat = new PeriodicTimer(_options.HeartbeatInterval, _time);
            var recovery = new PeriodicTimer(_options.RecoveryInterval, _time);
            _loops.Add(Task.Run(ClaimLoopAsync, CancellationToken.None));
            if (HasSecondLane)
            {
                _loops.Add(Task.Run(SecondLaneLoopAsync, CancellationToken.None));
            }

            _loops.Add(Task.Run(() => HeartbeatLoopAsync(heartbeat), CancellationToken.None));
            _loops.Add(Task.Run(() => RecoveryLoopAsync(recovery), CancellationToken.None));
            // A cancel request this feed misses (it connects as claiming starts) still arrives with the next heartbeat.
            var cancelRequests = _store.ReadCancelRequestsAsync(_stopBackground.Token);
            _loops.Add(Task.Run(() => CancelRequestLoopAsync(cancelRequests), CancellationToken.None));
        }

        _logger.LogInformation("Worker {WorkerId} started on queue {Queue} with concurrency {Concurrency}", WorkerId, _store.QueueName, _options.Concurrency);
        return Task.CompletedTask;
    }

    /// <summary>Stops claiming, lets running jobs finish up to the shutdown timeout, then cancels them and releases their leases.</summary>
    public Task StopAsync(CancellationToken ct = default)
    {
        Task stop;
        lock (_lifecycle)
        {
            _stopTask ??= StopCoreAsync();
            stop = _stopTask;
        }

        return stop.WaitAsync(ct);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static void Validate(QueueWorkerOptions o)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(o.WorkerId, "QueueWorkerOptions.WorkerId");
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Concurrency, 1, "QueueWorkerOptions.Concurrency");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(o.LeaseDuration, TimeSpan.Zero, "QueueWorkerOptions.LeaseDuration");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(o.HeartbeatInterval, TimeSpan.Zero, "QueueWorkerOptions.HeartbeatInterval");
        if (o.HeartbeatInterval >= o.LeaseDuration)
        {
            throw new ArgumentOutOfRangeException("QueueWorkerOptions.HeartbeatInterval", o.HeartbeatInterval, "The heartbeat interval must be shorter than the lease duration, or leases expire between renewals.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(o.RecoveryInterval, TimeSpan.Zero, "QueueWorkerOptions.RecoveryInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(o.ShutdownTimeout, TimeSpan.Zero, "QueueWorkerOptions.ShutdownTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(o.IdleWaitCeiling, TimeSpan.Zero, "QueueWorkerOptions.IdleWaitCeiling");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(o.RetentionInterval, TimeSpan.Zero, "QueueWorkerOptions.RetentionInterval");
    }
}
