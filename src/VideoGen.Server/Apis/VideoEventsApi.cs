using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Events;
using VideoGen.Server.Security;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VideoGen.Server.Apis;

/// <summary>
/// Server-Sent Events of videos, fed by the process's one <see cref="VideoEventPump"/> (no stream reads the
/// queue or polls the database on its own):
/// <list type="bullet">
/// <item><c>GET /api/videos/{id}/events</c>: the video's JSON now, then each time it changes; ends after a final status.</item>
/// <item><c>GET /api/videos/events</c>: each change of any video the caller may see (their own; all for an admin).</item>
/// </list>
/// Each event is <c>event: video</c> with the video JSON as data and an <c>id:</c> that resumes the stream
/// (<c>Last-Event-ID</c>) without missing a change. Heartbeats are SSE comments. The page falls back to polling
/// <c>GET /api/videos/{id}</c> when SSE fails.
/// </summary>
public static class VideoEventsApi
{
    /// <summary>Most videos re-read for a list stream that resumes from an id this process's ring no longer covers.</summary>
    public const int MaxCatchUp = 500;

    /// <summary>Clock difference between server processes allowed for when resuming from another process's id.</summary>
    private static readonly TimeSpan ResumeSlack = TimeSpan.FromSeconds(5);

    public static async Task<Results<VideoStreamResult, ProblemHttpResult>> StreamEvents(
        string id, HttpContext context, EventStreamLimiter streams, IDbContextFactory<AppDbContext> dbs, CurrentOwner owner,
        VideoEventHub hub, MediaUrls urls, IOptions<HttpJsonOptions> json, CancellationToken ct)
    {
        if (Acquire(context, streams) is not { } lease)
        {
            return TooMany(context);
        }
        if (!VideoIds.IsWellFormed(id))
        {
            lease.Dispose();
            return VideosApi.NotFound(id);
        }
        // Subscribed before reading the video's state: a change after that read is in the inbox. The pump's latest
        // state of the video spares the read (thousands of watchers of one video cost no query each).
        var subscription = hub.Subscribe(StreamFilter.OneVideo(id, owner.Id), LastEventId(context), out var replay, out var latest);
        VideoChange? now = latest;
        if (now is null)
        {
            Video? video;
            try
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                video = await VideosApi.FindAsync(db, id, owner, ct);
            }
            catch
            {
                subscription.Dispose();
                throw;
            }
            if (video is not null)
            {
                now = Snapshot(video, subscription, hub, urls, json);
                hub.Seed(now);
            }
        }
        if (now is null || !owner.CanSee(now.OwnerId))
        {
            // Someone else's video does not exist for this caller: 404, and no stream opens.
            subscription.Dispose();
            lease.Dispose();
            return VideosApi.NotFound(id);
        }
        if (replay is null || now.Terminal)
        {
            replay = [now];
        }
        return new VideoStreamResult(subscription, replay, perVideo: true);
    }

    public static async Task<Results<VideoStreamResult, ProblemHttpResult>> StreamAllEvents(
        HttpContext context, EventStreamLimiter streams, IDbContextFactory<AppDbContext> dbs, CurrentOwner owner,
        VideoEventHub hub, MediaUrls urls, IOptions<HttpJsonOptions> json, CancellationToken ct)
    {
        if (Acquire(context, streams) is null)
        {
            return TooMany(context);
        }
        var resume = LastEventId(context);
        var subscription = hub.Subscribe(StreamFilter.AllVisible(owner.Id, owner.IsAdmin), resume, out var replay);
        if (replay is null && resume is { } since)
        {
            // Another run or process wrote that id (or it left the ring): re-send what changed since its time.
            var after = DateTimeOffset.FromUnixTimeMilliseconds(since.UpdatedAtMs) - ResumeSlack;
            List<Video> changed;
            try
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                changed = await db.Videos.AsNoTracking().VisibleTo(owner).Where(v => v.UpdatedAt >= after)
                    .OrderByDescending(v => v.UpdatedAt).Take(MaxCatchUp).ToListAsync(ct);
            }
            catch
            {
                subscription.Dispose();
                throw;
            }
            replay = [.. changed.AsEnumerable().Reverse().Select(v => Snapshot(v, subscription, hub, urls, json))];
        }
        return new VideoStreamResult(subscription, replay ?? [], perVideo: false);
    }

    /// <summary>The slot is held until the request ends (however it ends): see VideoGen:Events.</summary>
    private static EventStreamLimiter.Lease? Acquire(HttpContext context, EventStreamLimiter streams)
    {
        var lease = streams.TryAcquire(EventStreamLimiter.ClientOf(context));
        if (lease is not null)
        {
            context.Response.RegisterForDispose(lease);
        }
        return lease;
    }

    private static ProblemHttpResult TooMany(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "10";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many event streams",
            detail: "Too many event streams are open; close some (or poll GET /api/videos/{id}) and try again.");
    }

    private static StreamPosition? LastEventId(HttpContext context) =>
        StreamPosition.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), out var position) ? position : null;

    /// <summary>A row read after subscribing, positioned at the subscription: resuming from it replays what came after.</summary>
    private static VideoChange Snapshot(Video video, VideoSubscription subscription, VideoEventHub hub, MediaUrls urls, IOptions<HttpJsonOptions> json) => new(
        new StreamPosition(hub.Epoch, subscription.StartSequence, video.UpdatedAt.ToUnixTimeMilliseconds()),
        video.Id,
        video.UserId ?? "",
        video.Status.IsTerminal(),
        System.Text.Json.JsonSerializer.Serialize(VideoDto.From(video, urls), json.Value.SerializerOptions));
}
