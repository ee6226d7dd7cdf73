using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.WorkerPresence;

/// <summary>
/// Keeps one worker's entry in an <see cref="IWorkerDirectory"/> fresh: announced when the heartbeat loop
/// starts and on every heartbeat tick, removed on graceful stop. Failures are logged and never reach the
/// worker: the directory is informational, and the next tick tries again.
/// </summary>
internal sealed class WorkerAnnouncer(IWorkerDirectory directory, string workerId, string queue, QueueWorkerOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>An entry outlives its last announce by this many heartbeat intervals, so one or two missed beats do not hide a live worker.</summary>
    public const int TtlHeartbeats = 3;

    private DateTimeOffset? _startedAt;

    // Each directory call gets half a heartbeat interval, so a stuck directory delays the next lease renewal
    // by at most that much (leases outlast the interval, so they survive it).

    public TimeSpan Ttl => options.HeartbeatInterval * TtlHeartbeats;

    public async Task AnnounceAsync(int runningJobs)
    {
        var now = time.GetUtcNow();
        _startedAt ??= now;
        try
        {
            using var timeout = new CancellationTokenSource(options.HeartbeatInterval / 2, time);
            await directory.AnnounceAsync(
                new WorkerInfo
                {
                    WorkerId = workerId,
                    Queue = queue,
                    Host = Environment.MachineName,
                    ProcessId = Environment.ProcessId,
                    StartedAt = _startedAt.Value,
                    Concurrency = options.Concurrency,
                    RunningJobs = runningJobs,
                    LastHeartbeat = now,
                },
                Ttl,
                timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Worker {WorkerId}: could not announce itself on queue {Queue}", workerId, queue);
        }
    }

    public async Task RemoveAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.HeartbeatInterval / 2, time);
            await directory.RemoveAsync(workerId, timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Worker {WorkerId}: could not remove its announcement; it disappears after {Ttl}", workerId, Ttl);
        }
    }
}
