namespace VideoGen.Core.Videos;

/// <summary>
/// queued → submitting → in_queue → generating → ingesting → succeeded; any non-terminal → failed | canceled.
/// submitting → submit_unconfirmed when the submit's answer was lost; it is resolved to in_queue (a webhook or a
/// provider lookup found the request) or submitted again once (docs/state-machine.md, docs/reliability.md).
/// Serialized snake_case on the wire (see <see cref="VideoStatusNames"/>). Value 9 is reserved.
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

    /// <summary>
    /// A submit was (or may have been) sent but its answer never arrived: the provider may have accepted and billed
    /// it. Not terminal: the pipeline resolves it — a verified webhook or a provider lookup finding the request
    /// re-attaches it (→ in_queue); when neither has proved anything once the provider would certainly have called
    /// back, it is submitted again, once (→ submitting).
    /// </summary>
    SubmitUnconfirmed = 8,
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
        VideoStatus.SubmitUnconfirmed => "submit_unconfirmed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
