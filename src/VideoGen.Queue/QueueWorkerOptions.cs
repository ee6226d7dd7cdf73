using System.ComponentModel.DataAnnotations;

namespace VideoGen.Queue;

/// <summary>How one worker runs one queue.</summary>
public sealed class QueueWorkerOptions
{
    /// <summary>Unique per worker process and queue. <value>The default value is host name + pid + random suffix.</value></summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Handlers running at once in this worker. <value>The default value is 8.</value></summary>
    [Range(1, 100_000)]
    public int Concurrency { get; set; } = 8;

    /// <summary>A lease lasts this long unless renewed. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often all leases of this worker are renewed (one call). <value>The default value is 10 seconds.</value></summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often this worker looks for expired leases of dead workers. <value>The default value is 5 seconds.</value></summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On stop, running jobs get this long to finish before their leases are released. <value>The default value is 10 seconds.</value></summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Finished jobs to keep; every <see cref="RetentionInterval"/> the worker removes older ones, so
    /// storage stays bounded. Null keeps everything. <value>The default value is 7 days and at most
    /// 10,000 jobs per terminal state.</value>
    /// </summary>
    public RetentionPolicy? Retention { get; set; } = new();

    /// <summary>How often this worker applies <see cref="Retention"/>. <value>The default value is 1 minute.</value></summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upper bound of an idle wait when no wake-up arrives (a safety net, not a poll loop). <value>The default value is 5 seconds.</value></summary>
    public TimeSpan IdleWaitCeiling { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Lets the worker lease up to <see cref="Concurrency"/> jobs beyond its free handler slots while its
    /// handlers are short (well under a store round trip, at most a few ms), so a finished slot starts the
    /// next job without waiting for the store. Never more than <see cref="Concurrency"/> handlers run at
    /// once; a claimed-ahead job that waits longer than a few tens of ms for a slot is given back without
    /// burning its attempt, and on stop it is given back at once. Turn it off when every job is long.
    /// <value>The default value is true.</value>
    /// </summary>
    public bool ClaimAhead { get; set; } = true;

    /// <summary>
    /// How long (real time) a claimed-ahead job may wait for a free handler slot before it is given back
    /// to the queue. Internal: a tuning knob for tests. <value>The default value is 50 ms.</value>
    /// </summary>
    internal TimeSpan ClaimAheadMaxWait { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Throws when a setting is out of range, naming it; the worker checks this before it starts anything.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId, "QueueWorkerOptions.WorkerId");
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, "QueueWorkerOptions.Concurrency");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, TimeSpan.Zero, "QueueWorkerOptions.LeaseDuration");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, "QueueWorkerOptions.HeartbeatInterval");
        if (HeartbeatInterval >= LeaseDuration)
        {
            throw new ArgumentOutOfRangeException("QueueWorkerOptions.HeartbeatInterval", HeartbeatInterval, "The heartbeat interval must be shorter than the lease duration, or leases expire between renewals.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RecoveryInterval, TimeSpan.Zero, "QueueWorkerOptions.RecoveryInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, "QueueWorkerOptions.ShutdownTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleWaitCeiling, TimeSpan.Zero, "QueueWorkerOptions.IdleWaitCeiling");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetentionInterval, TimeSpan.Zero, "QueueWorkerOptions.RetentionInterval");
    }
}
