using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// The queue's handler for video jobs: the payload (or, if empty, the job id) is the video id.
/// Each job runs in its own DI scope, so a scoped <see cref="IVideoRepository"/> (an EF DbContext)
/// is never shared between concurrent jobs. Returns the terminal status as the job result.
/// </summary>
public sealed class VideoJobHandler(IServiceScopeFactory scopes) : IJobHandler
{
    public async Task<string?> HandleAsync(JobContext job, CancellationToken ct)
    {
        var videoId = string.IsNullOrWhiteSpace(job.Payload) ? job.Id : job.Payload.Trim();
        await using var scope = scopes.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<VideoPipeline>();
        var status = await pipeline.RunAsync(videoId, job, ct);
        return status.ToWire();
    }
}
