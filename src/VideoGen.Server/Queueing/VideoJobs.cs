using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Options;

namespace VideoGen.Server.Queueing;

/// <summary>
/// The videos queue as the server uses it: one job per video, job id = video id = payload, so
/// enqueue is idempotent and a retry of the same enqueue (API or reconciler) is harmless.
/// </summary>
public sealed class VideoJobs(JobQueues queues, IOptions<QueueOptions> options)
{
    public JobQueue Queue => queues.Get(options.Value.Name);

    public Task<EnqueueOutcome> EnqueueAsync(Video video, CancellationToken ct) =>
        Queue.EnqueueAsync(new EnqueueRequest
        {
            Id = video.Id,
            Payload = video.Id,
            Group = video.UserId,
            MaxAttempts = options.Value.MaxAttempts,
        }, ct);
}
