using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Limits;

/// <summary>
/// An admin raises (or lowers) one video's queue priority while it still waits to start. The queue engine has no
/// "change priority" operation, so the waiting job is removed and enqueued again under the same id with the new priority
/// (kept on the row first, so a reconciler that re-enqueues the job in between uses it too). A delayed job keeps its run
/// time; the job starts over with fresh attempts. A job that started meanwhile cannot be removed: then nothing changes.
/// </summary>
public sealed class VideoPriority(IDbContextFactory<AppDbContext> contexts, VideoJobs jobs)
{
    public async Task<(PriorityChange Outcome, Video? Video)> SetAsync(string id, int priority, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var video = await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null)
        {
            return (PriorityChange.NotFound, null);
        }
        var job = await jobs.Queue.GetAsync(id, ct);
        if (video.Status != VideoStatus.Queued || job is null || job.State is not (JobState.Waiting or JobState.Delayed))
        {
            return (PriorityChange.NotWaiting, video);
        }
        var previous = video.Priority;
        var updated = await db.Videos.Where(v => v.Id == id && v.Status == VideoStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Priority, priority), ct);
        if (updated == 0 || !await jobs.Queue.RemoveAsync(id, ct))
        {
            await db.Videos.Where(v => v.Id == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Priority, previous), CancellationToken.None);
            return (PriorityChange.NotWaiting, video);
        }
        video.Priority = priority;
        await jobs.EnqueueAsync(video, job.State == JobState.Delayed ? job.RunAt : null, CancellationToken.None);
        return (PriorityChange.Changed, video);
    }
}

public enum PriorityChange
{
    Changed,
    NotFound,
    NotWaiting,
}
