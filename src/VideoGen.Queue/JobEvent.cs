namespace VideoGen.Queue;

public enum JobEventKind
{
    Enqueued,
    Delayed,
    Active,
    Progress,
    Completed,
    Retrying,
    Failed,
    CancelRequested,
    Canceled,
    Released,
    Recovered,
    Removed,
}

/// <summary>
/// A state change or progress update. <see cref="Position"/> identifies the event in the store's
/// log (a Redis stream id, or the SQLite event log's sequence) so a reconnecting reader resumes after it.
/// </summary>
public sealed record JobEvent(
    string Queue,
    string JobId,
    JobEventKind Kind,
    DateTimeOffset At,
    string? Data = null,
    string? Position = null);
