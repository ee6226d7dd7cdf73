namespace VideoGen.Queue;

/// <summary>What a worker asks for when claiming.</summary>
/// <param name="WorkerId">Who will hold the leases.</param>
/// <param name="Max">Most jobs to claim in this call.</param>
/// <param name="Lease">How long the lease lasts unless renewed.</param>
public sealed record ClaimRequest(string WorkerId, int Max, TimeSpan Lease);

/// <summary>A job now held by a worker. Every later write about it must carry <see cref="LeaseToken"/>.</summary>
public sealed record ClaimedJob
{
    public required string Id { get; init; }
    public required string LeaseToken { get; init; }
    public required DateTimeOffset LeaseExpiresAt { get; init; }
    public string Payload { get; init; } = "";
    public string? Group { get; init; }
    public int Priority { get; init; }
    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public BackoffPolicy Backoff { get; init; } = BackoffPolicy.Default;
}

/// <summary>A lease a worker holds: the pair every fenced write needs.</summary>
public readonly record struct LeaseRef(string JobId, string LeaseToken);

/// <summary>A successful finish.</summary>
public sealed record JobCompletion(string JobId, string LeaseToken, string? Result = null);

/// <summary>
/// A failed attempt. With <see cref="Retryable"/> and attempts left the store moves the job to
/// delayed until <see cref="RetryAt"/>; otherwise to failed.
/// </summary>
public sealed record JobFailure(string JobId, string LeaseToken, string Error, bool Retryable, DateTimeOffset RetryAt);

public enum FailOutcome
{
    /// <summary>The job will run again at the retry time.</summary>
    Retrying,

    /// <summary>The job is now failed for good.</summary>
    Failed,

    /// <summary>The caller's lease is gone (expired, recovered, or finished elsewhere); nothing changed.</summary>
    StaleLease,
}

/// <summary>The answer to a batched lease renewal.</summary>
/// <param name="Lost">Leases that no longer belong to the worker: stop the work, do not finish it.</param>
/// <param name="CancelRequested">Jobs someone asked to cancel: stop the handler.</param>
public sealed record LeaseRenewal(IReadOnlyList<string> Lost, IReadOnlyList<string> CancelRequested)
{
    public static LeaseRenewal None { get; } = new([], []);
}

/// <summary>Result of a finish-and-claim-next round trip.</summary>
public sealed record CompleteAndClaimResult(IReadOnlyList<bool> Completed, IReadOnlyList<ClaimedJob> Claimed);

public enum CancelOutcome
{
    /// <summary>Was waiting or delayed; now canceled.</summary>
    Canceled,

    /// <summary>Is running; the worker is told and the job ends canceled when its handler stops.</summary>
    CancelRequested,

    /// <summary>Already in a terminal state; nothing changed.</summary>
    AlreadyFinished,

    NotFound,
}
