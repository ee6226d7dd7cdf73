namespace VideoGen.Queue;

/// <summary>
/// One queue's durable state, spoken in queue operations. Implemented once per backend
/// (SQLite, Redis); every implementation passes the same conformance suite.
/// Time is always passed in (<c>now</c>) so leases, delays and backoff are testable with a fake clock.
/// Every write to an active job is fenced by its lease token: a holder whose lease is gone changes nothing.
/// </summary>
public interface IQueueStore : IAsyncDisposable
{
    string QueueName { get; }

    /// <summary>Adds a job unless one with the same id exists (in any state).</summary>
    Task<EnqueueOutcome> EnqueueAsync(EnqueueRequest job, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Adds many jobs in one round trip; existing ids are skipped. Returns how many were created.</summary>
    Task<int> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> jobs, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Leases up to <see cref="ClaimRequest.Max"/> due jobs in scheduling order (priority, then
    /// fair turns between groups, then first in first out), honouring pause and <see cref="QueueLimits"/>.
    /// Each claim starts an attempt.
    /// </summary>
    Task<IReadOnlyList<ClaimedJob>> ClaimAsync(ClaimRequest request, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Completes jobs (each fenced by its token; false = stale lease, nothing changed).</summary>
    Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Completes jobs and claims the next ones in the same round trip.</summary>
    Task<CompleteAndClaimResult> CompleteAndClaimAsync(IReadOnlyList<JobCompletion> completions, ClaimRequest next, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Records a failed attempt: retry (delayed, or waiting when the retry time is now), or failed for good.
    /// A job with a cancel request ends canceled instead (reported as <see cref="FailOutcome.Failed"/>: it will not run again).
    /// </summary>
    Task<FailOutcome> FailAsync(JobFailure failure, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Gives an active job back without burning its attempt, runnable at <paramref name="runAt"/>
    /// (now = at once). Used by graceful shutdown and by "provider said retry after T". A job with a cancel
    /// request ends canceled instead.
    /// </summary>
    Task<bool> ReleaseAsync(LeaseRef lease, DateTimeOffset runAt, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Runs a parked job now: a delayed job becomes waiting at once (keeping its attempt count and its place in
    /// line). For an active job the wake is noted instead, and its next <see cref="ReleaseAsync"/> makes it runnable at
    /// once whatever run-at it names, so a wake that arrives while the handler is deciding to park the job is not
    /// lost. The note ends with that release (or with the attempt). Waiting and finished jobs are left as they are.
    /// Used when news for a job arrives early (a provider webhook for a video parked until its next status check).
    /// </summary>
    Task<PromoteOutcome> PromoteAsync(string jobId, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Ends an active job as canceled (its handler stopped after a cancel request).</summary>
    Task<bool> MarkCanceledAsync(LeaseRef lease, string reason, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Renews all of one worker's leases in one call; reports lost leases and cancel requests.</summary>
    Task<LeaseRenewal> ExtendLeasesAsync(string workerId, IReadOnlyList<LeaseRef> leases, TimeSpan lease, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Puts jobs whose lease expired (dead worker) back to waiting, or to failed when they have no
    /// attempts left, or to canceled when a cancel was requested. Returns how many were recovered.
    /// </summary>
    Task<int> RecoverExpiredAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Stores progress (opaque JSON) for an active job and publishes it as an event.</summary>
    Task<bool> ReportProgressAsync(LeaseRef lease, string progress, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Cancels a waiting/delayed job at once, or asks the worker of an active one to stop.</summary>
    Task<CancelOutcome> CancelAsync(string jobId, string reason, DateTimeOffset now, CancellationToken ct = default);

    Task<JobInfo?> GetAsync(string jobId, CancellationToken ct = default);

    Task<IReadOnlyDictionary<JobState, long>> CountsAsync(CancellationToken ct = default);

    Task<JobPage> ListAsync(JobState state, string? cursor, int limit, CancellationToken ct = default);

    /// <summary>Moves a failed or canceled job back to waiting with a fresh set of attempts.</summary>
    Task<bool> RetryAsync(string jobId, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Deletes a job that is not active.</summary>
    Task<bool> RemoveAsync(string jobId, CancellationToken ct = default);

    Task PauseAsync(CancellationToken ct = default);

    Task ResumeAsync(CancellationToken ct = default);

    Task<bool> IsPausedAsync(CancellationToken ct = default);

    Task SetLimitsAsync(QueueLimits limits, CancellationToken ct = default);

    /// <summary>Removes finished jobs beyond the policy. Returns how many were removed.</summary>
    Task<int> TrimAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The earliest run-at of a delayed job, so an idle worker knows how long it may sleep.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default);

    /// <summary>
    /// Completes when work may be available (an enqueue, a release, a resume — in this process or,
    /// for shared backends, any process) or after <paramref name="maxWait"/>. Never polls the store.
    /// </summary>
    Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken ct = default);

    /// <summary>
    /// Events from <paramref name="afterPosition"/> (exclusive; null = only new ones) until
    /// <paramref name="ct"/> is canceled. A reader that reconnects with its last position misses nothing
    /// the store still retains.
    /// </summary>
    IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, CancellationToken ct);

    /// <summary>
    /// Ids of active jobs whose cancellation is requested from now on, so a worker stops their handlers at
    /// once. Best effort: a request this feed misses (Redis: one published while the connection is down)
    /// still reaches the worker at its next lease renewal, whose <see cref="LeaseRenewal.CancelRequested"/>
    /// reports it. Both backends override this with a feed of cancel requests alone (Redis: the queue's
    /// pub/sub cancel channel; SQLite: the log's cancel-request rows), so no worker reads every event of
    /// every job. The default, for other stores, filters <see cref="ReadEventsAsync"/>, reading every event.
    /// </summary>
    IAsyncEnumerable<string> ReadCancelRequestsAsync(CancellationToken ct) => CancelRequests.FromEvents(this, ct);

    /// <summary>
    /// True when a store call mostly waits on a network round trip (Redis), so a worker keeps two calls
    /// in flight and works on one batch while the store works on the other. False for an in-process
    /// store whose writes are serialized anyway (SQLite), where a second call only contends.
    /// </summary>
    bool OverlapsCalls => false;
}

/// <summary>Opens stores by queue name. The backend is chosen once, at registration.</summary>
public interface IQueueStoreFactory
{
    /// <summary>The store for <paramref name="queueName"/>; the same instance for the same name.</summary>
    IQueueStore Open(string queueName);
}
