namespace VideoGen.Client;

/// <summary>
/// The wire names of a video's status. Kept as strings on <see cref="Video.Status"/> so a status a newer server adds
/// reads as unfinished rather than failing to parse.
/// </summary>
public static class VideoStatuses
{
    public const string Queued = "queued";
    public const string Submitting = "submitting";
    public const string SubmitUnconfirmed = "submit_unconfirmed";
    public const string InQueue = "in_queue";
    public const string Generating = "generating";
    public const string Ingesting = "ingesting";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    /// <summary>Every status this client knows, in the order a video goes through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Submitting, SubmitUnconfirmed, InQueue, Generating, Ingesting, Succeeded, Failed, Canceled];

    /// <summary>Whether a video in <paramref name="status"/> will not change any more.</summary>
    public static bool IsTerminal(string? status) => status is Succeeded or Failed or Canceled;
}
