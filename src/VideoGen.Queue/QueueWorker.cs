using Microsoft.Extensions.Logging;
using VideoGen.Queue.Processing;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue;

/// <summary>
/// Runs a queue's jobs in this process: claims up to <see cref="QueueWorkerOptions.Concurrency"/>
/// jobs, renews all their leases in one batched heartbeat that does not depend on handler code,
/// recovers expired leases of dead workers, and on stop releases what it could not finish.
/// </summary>
/// <remarks>
/// This type composes the parts in <c>Processing/</c> and owns the lifecycle (start once, stop once).
/// Claimed jobs flow <see cref="ClaimLoop"/> (and <see cref="SecondLane"/> over a networked store) →
/// <see cref="JobRunners"/> → <see cref="OutcomeWriter"/> → back to the lanes as completions written in
/// batches; <see cref="LeaseKeeper"/>, <see cref="CancelRequestListener"/> and <see cref="RecoveryLoop"/>
/// run beside them; <see cref="WorkerShutdown"/> orders the stop. All time comes from the injected
/// <see cref="TimeProvider"/>.
/// </remarks>
public sealed class QueueWorker : IAsyncDisposable
{
    private readonly IQueueStore _store;
    private readonly QueueWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _stopBackground = new();
    private readonly HandlerSlots _slots;
    private readonly JobRunners _runners;
    private readonly ClaimLoop _claimLoop;
    private readonly SecondLane? _secondLane;
    private readonly LeaseKeeper _leaseKeeper;
    private readonly CancelRequestListener _cancelListener;
    private readonly RecoveryLoop _recovery;
    private readonly WorkerShutdown _shutdown;

    private readonly Lock _lifecycle = new();
    private readonly List<Task> _loops = [];
    private Task? _stopTask;
    private bool _started;

    /// <summary>
    /// A worker on <paramref name="store"/>'s queue. With a <paramref name="directory"/> it announces itself
    /// there when it starts and on every heartbeat, and removes itself on graceful stop; without one it is not listed.
    /// </summary>
    public QueueWorker(IQueueStore store, IJobHandler handler, QueueWorkerOptions options, TimeProvider time, ILogger<QueueWorker> logger, IWorkerDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger;

        var workerId = options.WorkerId;
        var stopping = _stopClaiming.Token;
        var announcer = directory is null ? null : new WorkerAnnouncer(directory, workerId, store.QueueName, options, _time, logger);
        var claimAhead = new ClaimAheadPolicy(options.Concurrency, options.ClaimAhead);
        var held = new HeldJobs();
        var ready = new ReadyBuffer();
        var completions = new PendingCompletions(maxBatch: Math.Max(options.Concurrency, 64));
        var executions = new ActiveExecutions(stopping);
        var lanes = new LaneSignals();
        _slots = new HandlerSlots(options.Concurrency);

        var outcomes = new OutcomeWriter(store, held, completions, _time, logger, workerId);
        _runners = new JobRunners(handler, store.QueueName, ready, held, _slots, executions, outcomes, claimAhead, lanes, stopping, logger, workerId);
        var settler = new ReadyJobSettler(ready, _runners, _slots, claimAhead, options.ClaimAheadMaxWait, logger, workerId);

        var twoLanes = SecondLane.IsWorthIt(store, options);
        var calls = new CompleteAndClaimCalls(store, options, _time, held, _runners, claimAhead, twoLanes, logger);
        _claimLoop = new ClaimLoop(store, options, _time, calls, completions, ready, settler, lanes, stopping, _stopBackground.Token, logger);
        _secondLane = twoLanes ? new SecondLane(store.QueueName, workerId, calls, completions, lanes, stopping, _stopBackground.Token, logger) : null;

        _leaseKeeper = new LeaseKeeper(store, options, _time, held, settler, _slots, announcer, logger);
        _cancelListener = new CancelRequestListener(store, _time, held, settler, workerId, logger);
        _recovery = new RecoveryLoop(store, _time, new RetentionTrimmer(store, options, _time, logger), workerId, logger);
        _shutdown = new WorkerShutdown(store, options, _time, _stopClaiming, _stopBackground, _claimLoop, lanes, settler, executions, held, completions, announcer, logger);
    }

    public string WorkerId => _options.WorkerId;

    /// <summary>Handlers running right now (never more than <see cref="QueueWorkerOptions.Concurrency"/>).</summary>
    public int RunningCount => _slots.Taken;

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
            _runners.CaptureStartContext();
            // Timers are created here, not inside the loops, so their schedule starts at StartAsync
            // (a fake clock advanced right after start still fires them).
            var heartbeat = new PeriodicTimer(_options.HeartbeatInterval, _time);
            var recovery = new PeriodicTimer(_options.RecoveryInterval, _time);
            var background = _stopBackground.Token;
            _loops.Add(Task.Run(_claimLoop.RunAsync, CancellationToken.None));
            if (_secondLane is { } secondLane)
            {
                _loops.Add(Task.Run(secondLane.RunAsync, CancellationToken.None));
            }

            _loops.Add(Task.Run(() => _leaseKeeper.RunAsync(heartbeat, background), CancellationToken.None));
            _loops.Add(Task.Run(() => _recovery.RunAsync(recovery, background), CancellationToken.None));
            // A cancel request this feed misses (it connects as claiming starts) still arrives with the next heartbeat.
            var cancelRequests = _store.ReadCancelRequestsAsync(background);
            _loops.Add(Task.Run(() => _cancelListener.RunAsync(cancelRequests, background), CancellationToken.None));
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

    private async Task StopCoreAsync()
    {
        bool started;
        lock (_lifecycle)
        {
            started = _started;
        }

        if (!started)
        {
            return;
        }

        await _shutdown.StopAsync(_loops);
        _logger.LogInformation("Worker {WorkerId} stopped on queue {Queue}", WorkerId, _store.QueueName);
    }
}
