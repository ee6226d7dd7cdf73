using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Options;

namespace VideoGen.Server.Queueing;

/// <summary>
/// The videos queue as the server uses it: one job per video, job id = video id = payload, so
/// enqueue is idempotent and a retry of the same enqueue (API or reconciler) is harmless. The job's
/// priority is the video's (its owner's tier, or what an admin raised it to) and its group is the
/// owner, so the engine starts higher tiers first, then takes turns between users, then first in,
/// first out (DESIGN promise 6).
/// </summary>
public sealed class VideoJobs(JobQueues queues, IOptions<QueueOptions> options, TimeProvider time) : IVideoJobs
{
    public JobQueue Queue => queues.Get(options.Value.Name);

    public Task<EnqueueOutcome> EnqueueAsync(Video video, CancellationToken ct) => EnqueueAsync(video, null, ct);

    /// <summary>Enqueues the video's job to run at <paramref name="runAt"/> (null: now).</summary>
    public Task<EnqueueOutcome> EnqueueAsync(Video video, DateTimeOffset? runAt, CancellationToken ct) =>
        Queue.EnqueueAsync(new EnqueueRequest
        {
            Id = video.Id,
            Payload = video.Id,
            Group = video.UserId,
            Priority = video.Priority,
            RunAt = runAt,
            MaxAttempts = options.Value.MaxAttempts,
        }, ct);

    /// <inheritdoc/>
    public Task WakeAsync(string videoId, CancellationToken ct) => Queue.PromoteAsync(videoId, ct);

    /// <inheritdoc/>
    public async Task RunAgainAsync(Video video, bool waitForActive, CancellationToken ct)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await Queue.RetryAsync(video.Id, ct))
            {
                return;
            }

            switch ((await Queue.GetAsync(video.Id, ct))?.State)
            {
                case null:
                    await EnqueueAsync(video, ct);
                    return;
                case JobState.Waiting:
                    return;
                case JobState.Delayed or JobState.Completed:
                    // Released to look again later (e.g. a submit_unconfirmed video), or ended by a run that lost the row to
                    // this re-attach: run it now. If it was promoted meanwhile, the next turn of the loop sees it waiting.
                    if (await Queue.RemoveAsync(video.Id, ct))
                    {
                        await EnqueueAsync(video, ct);
                        return;
                    }
                    break;
                case JobState.Active when !waitForActive:
                    return;
                default:
                    await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
                    break;
            }
        }

        throw new InvalidOperationException($"The job of video '{video.Id}' did not end within 10 s, so it could not be run again.");
    }
}
