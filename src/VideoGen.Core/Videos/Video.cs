namespace VideoGen.Core.Videos;

/// <summary>
/// The user-facing truth about one generation. The pipeline writes each step's output here
/// before the next step starts, so a re-run resumes instead of repeating (and never pays twice).
/// The id is also the queue job id.
/// </summary>
public sealed class Video
{
    public required string Id { get; set; }
    public string? UserId { get; set; }

    // The request.
    public required string Prompt { get; set; }
    public required string Model { get; set; }
    public long? Seed { get; set; }
    /// <summary>Model-specific inputs (duration, aspect ratio, …) as a JSON object.</summary>
    public string? ParametersJson { get; set; }
    public string? ImageUrl { get; set; }
    public string? NegativePrompt { get; set; }

    public VideoStatus Status { get; set; } = VideoStatus.Queued;

    // Step 1 output: the provider's handle. Written right after submit.
    public string? Provider { get; set; }
    public string? ProviderRequestId { get; set; }
    public string? ProviderStatusUrl { get; set; }
    public string? ProviderResponseUrl { get; set; }
    public string? ProviderCancelUrl { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>
    /// When the latest paid submit was started (the row was marked <c>submitting</c>). A submit whose answer was lost
    /// (<see cref="VideoStatus.SubmitUnconfirmed"/>) is sent again only once the provider would certainly have called
    /// back for it, counted from here.
    /// </summary>
    public DateTimeOffset? SubmitStartedAt { get; set; }

    /// <summary>
    /// When an unconfirmed submit was sent a second time (nothing proved the first one reached the provider within
    /// the window). Set at most once: a video is never submitted a third time.
    /// </summary>
    public DateTimeOffset? ResubmittedAt { get; set; }

    // While waiting.
    public int? QueuePosition { get; set; }
    /// <summary>0..1 when the provider tells, else null.</summary>
    public double? Progress { get; set; }
    /// <summary>The last lines of provider logs (bounded).</summary>
    public string? LogsExcerpt { get; set; }

    // Step 2 output: where the provider put the result (provenance only once ingested).
    public string? ProviderResultUrl { get; set; }

    // Step 3 output: our own copy.
    public string? ResultPath { get; set; }
    public string? PosterPath { get; set; }
    public double? DurationSeconds { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public long? SizeBytes { get; set; }
    public string? VideoCodec { get; set; }

    public string? Error { get; set; }
    public string? ErrorType { get; set; }
    public decimal? EstimatedCostUsd { get; set; }

    /// <summary>
    /// What the owner is charged for this video: its estimated cost, recorded when the provider accepted the paid
    /// submit (at <see cref="SubmittedAt"/>), not when the video was created. Null while nothing was paid.
    /// </summary>
    public decimal? SpentCostUsd { get; set; }

    /// <summary>
    /// The queue priority of the video's job (higher starts first): the owner's tier priority when it was created,
    /// or what an admin raised it to. Kept on the row so a re-enqueue (reconciler, retry) keeps it.
    /// </summary>
    public int Priority { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CancelRequestedAt { get; set; }

    /// <summary>
    /// When the provider answered our cancel of this generation. Null on a canceled row that has a
    /// provider request (and no result yet) means a provider cancel is still owed: the reconciler
    /// sends it (DESIGN promise 5: cancel reaches the provider).
    /// </summary>
    public DateTimeOffset? ProviderCanceledAt { get; set; }
}
