namespace VideoGen.Core.Videos;

/// <summary>
/// queued → submitting → in_queue → generating → ingesting → succeeded; any non-terminal → failed | canceled.
/// Serialized snake_case on the wire (see <see cref="VideoStatusNames"/>).
/// </summary>
public enum VideoStatus
{
    Queued = 0,
    Submitting = 1,
    InQueue = 2,
    Generating = 3,
    Ingesting = 4,
    Succeeded = 5,
    Failed = 6,
    Canceled = 7,
}

public static class VideoStatusNames
{
    public static bool IsTerminal(this VideoStatus status) =>
        status is VideoStatus.Succeeded or VideoStatus.Failed or VideoStatus.Canceled;

    public static string ToWire(this VideoStatus status) => status switch
    {
        VideoStatus.Queued => "queued",
        VideoStatus.Submitting => "submitting",
        VideoStatus.InQueue => "in_queue",
        VideoStatus.Generating => "generating",
        VideoStatus.Ingesting => "ingesting",
        VideoStatus.Succeeded => "succeeded",
        VideoStatus.Failed => "failed",
        VideoStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
