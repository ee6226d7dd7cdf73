using VideoGen.Core.Videos;

namespace VideoGen.Core.Pipeline;

public sealed partial class VideoPipeline
{
    /// <summary>
    /// The owner is charged at the paid submit, not at creation: the video's estimated cost becomes its spend, dated by
    /// <see cref="Video.SubmittedAt"/> (daily budgets and the spend shown to users read it). Set once.
    /// </summary>
    private static void RecordSpend(Video video) => video.SpentCostUsd ??= video.EstimatedCostUsd;
}
