namespace VideoGen.Queue;

/// <summary>A read-only snapshot of a job, for queries and admin views.</summary>
public sealed record JobInfo
{
    public required string Id { get; init; }
    public required JobState State { get; init; }
    public string Payload { get; init; } = "";
    public int Priority { get; init; }
    public string? Group { get; init; }
    /// <summary>Attempts started so far (a claim starts one; a release gives it back).</summary>
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset RunAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Result { get; init; }
    public string? Error { get; init; }
    public string? Progress { get; init; }
    public string? WorkerId { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public bool CancelRequested { get; init; }
}

/// <summary>One page of jobs in one state; pass <see cref="NextCursor"/> to get the next.</summary>
public sealed record JobPage(IReadOnlyList<JobInfo> Jobs, string? NextCursor);
