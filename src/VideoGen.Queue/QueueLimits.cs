namespace VideoGen.Queue;

/// <summary>
/// Scheduling limits shared by every worker of a queue (stored with the queue, not per process).
/// </summary>
public sealed record QueueLimits
{
    /// <summary>Most jobs active at once across all workers (e.g. the provider account's slots). <value>The default value is null (no limit).</value></summary>
    public int? GlobalConcurrency { get; init; }

    /// <summary>Most job starts per <see cref="RateWindow"/> across all workers. <value>The default value is null (no limit).</value></summary>
    public int? RateLimit { get; init; }

    /// <summary>The rate limit's window. <value>The default value is 1 second.</value></summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most active jobs per fairness group. <value>The default value is null (no limit).</value></summary>
    public int? MaxActivePerGroup { get; init; }

    public static QueueLimits None { get; } = new();
}

/// <summary>How long finished jobs are kept. Whichever bound is hit first removes the oldest.</summary>
public sealed record RetentionPolicy
{
    /// <summary><value>The default value is 7 days.</value></summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Per terminal state. <value>The default value is 10,000.</value></summary>
    public int MaxCount { get; init; } = 10_000;
}
