namespace VideoGen.Queue;

/// <summary>
/// The closed set of states a job can be in. Every store write names the state it expects the
/// job to be in (and, for active jobs, the lease token), so a transition can never be applied twice.
/// </summary>
public enum JobState
{
    /// <summary>Ready to run. Left by a worker's claim (to <see cref="Active"/>), by cancel or by remove.</summary>
    Waiting = 0,

    /// <summary>Not due yet (run-at in the future, retry backoff, or deferred after a rate-limit). Left when due: a claim treats it as waiting; or by cancel.</summary>
    Delayed = 1,

    /// <summary>Held by one worker under a lease. Left only by the lease holder (complete, fail, release, cancel) or by lease-expiry recovery.</summary>
    Active = 2,

    /// <summary>Terminal: the handler succeeded. Left only by retention trimming or remove.</summary>
    Completed = 3,

    /// <summary>Terminal: permanent error or attempts exhausted. Left by an explicit retry, retention or remove.</summary>
    Failed = 4,

    /// <summary>Terminal: canceled by a caller. Left by an explicit retry, retention or remove.</summary>
    Canceled = 5,
}

/// <summary>Helpers over <see cref="JobState"/>.</summary>
public static class JobStates
{
    public static bool IsTerminal(this JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Canceled;

    public static IReadOnlyList<JobState> All { get; } = Enum.GetValues<JobState>();
}
