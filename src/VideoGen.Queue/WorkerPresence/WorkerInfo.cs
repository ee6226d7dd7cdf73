namespace VideoGen.Queue.WorkerPresence;

/// <summary>
/// What one running <see cref="QueueWorker"/> says about itself. A process running several queues shows one
/// entry per queue (same <see cref="Host"/> and <see cref="ProcessId"/>), since each queue has its own worker.
/// </summary>
public sealed record WorkerInfo
{
    /// <summary>Unique per worker process and queue (<see cref="QueueWorkerOptions.WorkerId"/>); also the lease holder id on its jobs.</summary>
    public required string WorkerId { get; init; }

    public required string Queue { get; init; }

    /// <summary>The machine name.</summary>
    public required string Host { get; init; }

    public int ProcessId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Handlers this worker may run at once.</summary>
    public int Concurrency { get; init; }

    /// <summary>Handlers running at the time of <see cref="LastHeartbeat"/>.</summary>
    public int RunningJobs { get; init; }

    /// <summary>When this entry was last announced (the worker's clock).</summary>
    public DateTimeOffset LastHeartbeat { get; init; }
}
