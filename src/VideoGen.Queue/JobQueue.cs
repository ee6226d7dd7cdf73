namespace VideoGen.Queue;

/// <summary>
/// The producer's and admin's view of one queue: the store plus the clock. Handlers run in
/// <see cref="QueueWorker"/>; everything else (enqueue, look up, cancel, admin) goes through here.
/// </summary>
public sealed class JobQueue(IQueueStore store, TimeProvider time)
{
    public string Name => store.QueueName;

    public IQueueStore Store => store;

    public Task<EnqueueOutcome> EnqueueAsync(EnqueueRequest job, CancellationToken ct = default) =>
        store.EnqueueAsync(job, time.GetUtcNow(), ct);

    public Task<int> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> jobs, CancellationToken ct = default) =>
        store.EnqueueManyAsync(jobs, time.GetUtcNow(), ct);

    public Task<JobInfo?> GetAsync(string jobId, CancellationToken ct = default) => store.GetAsync(jobId, ct);

    public Task<CancelOutcome> CancelAsync(string jobId, string reason, CancellationToken ct = default) =>
        store.CancelAsync(jobId, reason, time.GetUtcNow(), ct);

    public Task<IReadOnlyDictionary<JobState, long>> CountsAsync(CancellationToken ct = default) => store.CountsAsync(ct);

    public Task<JobPage> ListAsync(JobState state, string? cursor, int limit, CancellationToken ct = default) =>
        store.ListAsync(state, cursor, limit, ct);

    /// <inheritdoc cref="IQueueStore.PromoteAsync"/>
    public Task<PromoteOutcome> PromoteAsync(string jobId, CancellationToken ct = default) => store.PromoteAsync(jobId, time.GetUtcNow(), ct);

    public Task<bool> RetryAsync(string jobId, CancellationToken ct = default) => store.RetryAsync(jobId, time.GetUtcNow(), ct);

    public Task<bool> RemoveAsync(string jobId, CancellationToken ct = default) => store.RemoveAsync(jobId, ct);

    public Task PauseAsync(CancellationToken ct = default) => store.PauseAsync(ct);

    public Task ResumeAsync(CancellationToken ct = default) => store.ResumeAsync(ct);

    public Task<bool> IsPausedAsync(CancellationToken ct = default) => store.IsPausedAsync(ct);

    public IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, CancellationToken ct) =>
        store.ReadEventsAsync(afterPosition, ct);
}
