using Microsoft.Extensions.Logging;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

public sealed partial class VideoPipeline
{
    /// <summary>
    /// Advances the video as far as it can go. Returns its terminal status. Throws
    /// <see cref="PermanentJobException"/> when the video failed (the row already says why),
    /// <see cref="RetryAfterException"/> when the provider rate-limited us, any other exception
    /// for a retryable failure, and <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> fired (the row is Canceled if a cancel was requested; otherwise it is
    /// left as is so another run resumes it).
    /// </summary>
    /// <remarks>
    /// Every write is a compare-and-set on the row's status and request id (<see cref="IVideoRepository.TrySaveAsync"/>).
    /// A run whose write is refused lost a race — two runs read <c>queued</c> and the other one moved it to
    /// <c>submitting</c> first, or the row was settled or re-attached elsewhere — so it stops there, with no submit
    /// and no further write, and returns the status the row has now (possibly not terminal: the winner is working
    /// on it).
    /// </remarks>
    public async Task<VideoStatus> RunAsync(string videoId, JobContext? job, CancellationToken ct)
    {
        try
        {
            return await RunUnguardedAsync(videoId, job, ct);
        }
        catch (VideoChangedElsewhereException ex)
        {
            using var cts = new CancellationTokenSource(_options.CleanupTimeout);
            var now = await videos.FindAsync(videoId, cts.Token);
            logger.LogWarning(
                "Video {VideoId}: another run or process changed the row (this run expected {Expected}, it is now {Status}); this run stopped without further effect",
                videoId, ex.Expected, now?.Status.ToWire());
            return now?.Status ?? ex.Expected.Status;
        }
    }
}
