namespace VideoGen.Queue;

/// <summary>A job to add. The id is chosen by the caller and makes enqueue idempotent.</summary>
public sealed record EnqueueRequest
{
    /// <summary>Caller-chosen id (for videos: the video id). Adding an id that exists is a no-op.</summary>
    public required string Id { get; init; }

    /// <summary>Opaque payload, usually JSON. <value>The default value is empty.</value></summary>
    public string Payload { get; init; } = "";

    /// <summary>Higher runs first. <value>The default value is 0.</value></summary>
    public int Priority { get; init; }

    /// <summary>Fairness group (the user). At equal priority groups take turns. <value>The default value is null (the shared default group).</value></summary>
    public string? Group { get; init; }

    /// <summary>Not run before this instant. <value>The default value is null (run now).</value></summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Attempts before the job fails for good. <value>The default value is 3.</value></summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay between attempts. <value>The default value is <see cref="BackoffPolicy.Default"/>.</value></summary>
    public BackoffPolicy Backoff { get; init; } = BackoffPolicy.Default;
}

public enum EnqueueOutcome
{
    Created,
    AlreadyExists,
}
