namespace VideoGen.Queue.WorkerPresence;

/// <summary>
/// Where running workers announce themselves, so an admin view can list them across processes and
/// machines. Registered by each backend next to its <see cref="IQueueStoreFactory"/> (SQLite: a table in
/// the queue database; Redis: one hash per queue under the queue's hash tag).
/// </summary>
/// <remarks>
/// Announcements are soft state: a worker re-announces on every heartbeat, removes itself on a graceful
/// stop, and an entry whose worker died (no announce for <c>ttl</c>) is never listed again and is deleted
/// by the backend later. The directory is informational only; leases, not this list, decide who owns a job.
/// </remarks>
public interface IWorkerDirectory
{
    /// <summary>
    /// Adds or replaces the entry for (<see cref="WorkerInfo.Queue"/>, <see cref="WorkerInfo.WorkerId"/>).
    /// It stays listed until <see cref="WorkerInfo.LastHeartbeat"/> + <paramref name="ttl"/> unless announced again.
    /// </summary>
    Task AnnounceAsync(WorkerInfo info, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Workers whose last announcement has not expired, ordered by queue then worker id.</summary>
    Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken ct = default);

    /// <summary>Removes the worker's entries (every queue it announced on). False if none was listed.</summary>
    Task<bool> RemoveAsync(string workerId, CancellationToken ct = default);
}
