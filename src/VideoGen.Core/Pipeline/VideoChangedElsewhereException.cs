using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// A pipeline write was refused because the row's status or request id is no longer what this run last saw:
/// another run (e.g. the new owner of a job whose lease this worker lost) or another process moved the video on.
/// The run stops at once, without side effects (no submit, no further writes); see <c>VideoPipeline.Races.cs</c>.
/// </summary>
public sealed class VideoChangedElsewhereException(string videoId, StoredVideoState expected)
    : Exception($"Video '{videoId}' is no longer {expected}: another run or process changed it, so this run stopped.")
{
    public string VideoId { get; } = videoId;

    public StoredVideoState Expected { get; } = expected;
}
