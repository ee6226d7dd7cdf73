using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// The queue's handler for video jobs: the payload (or, if empty, the job id) is the video id. Registered scoped and
/// resolved by the queue worker from the one DI scope it opens per job (<c>AddQueueWorker</c>), so the pipeline and
/// every scoped service under it (e.g. a scoped <see cref="IVideoRepository"/>) belong to one job and are never shared
/// between concurrent jobs. Returns the terminal status as the job result.
/// </summary>
public sealed class VideoJobHandler(VideoPipeline pipeline) : IJobHandler
{
    public async Task<string?> HandleAsync(JobContext job, CancellationToken ct)
    {
        var videoId = string.IsNullOrWhiteSpace(job.Payload) ? job.Id : job.Payload.Trim();
        var status = await pipeline.RunAsync(videoId, job, ct);
        return status.ToWire();
    }
}
