using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Security;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>GET /api/videos/{id}/events</c>: Server-Sent Events with the video's JSON each time it
/// changes, ending after a terminal status. Queue events (state changes, progress) wake the
/// stream at once; the row is re-read on each wake and at least every <see cref="SafetyInterval"/>,
/// so a missed event only costs latency. The page falls back to polling when SSE fails.
/// </summary>
public static class VideoEventsApi
{
    public static readonly TimeSpan SafetyInterval = TimeSpan.FromSeconds(2);

    /// <summary>Streams end after this long so a forgotten tab does not hold a connection forever; clients reconnect.</summary>
    public static readonly TimeSpan MaxStreamDuration = TimeSpan.FromMinutes(30);

    public static async Task<Results<ServerSentEventsResult<VideoDto>, ProblemHttpResult>> StreamEvents(
        string id, HttpContext context, EventStreamLimiter streams, IDbContextFactory<AppDbContext> dbs, CurrentOwner owner, VideoJobs jobs, MediaUrls urls, TimeProvider time, CancellationToken ct)
    {
        // The slot is held until the request ends (however it ends): see VideoGen:Events.
        if (streams.TryAcquire(EventStreamLimiter.ClientOf(context)) is not { } lease)
        {
            context.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many event streams",
                detail: "Too many event streams are open; close some (or poll GET /api/videos/{id}) and try again.");
        }
        context.Response.RegisterForDispose(lease);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            // Someone else's video does not exist for this caller: 404 before any stream opens.
            if (await VideosApi.FindAsync(db, id, owner, ct) is null)
            {
                return VideosApi.NotFound(id);
            }
        }
        return TypedResults.ServerSentEvents(WatchAsync(id, dbs, jobs, urls, time, ct));
    }

    private static async IAsyncEnumerable<SseItem<VideoDto>> WatchAsync(
        string id, IDbContextFactory<AppDbContext> dbs, VideoJobs jobs, MediaUrls urls, TimeProvider time,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(MaxStreamDuration);
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        // Subscribe before the first read so no change between the two is missed.
        var pump = PumpAsync(jobs, id, wake.Writer, stop.Token);
        try
        {
            string? last = null;
            while (!stop.IsCancellationRequested)
            {
                Video? video;
                await using (var db = await dbs.CreateDbContextAsync(stop.Token))
                {
                    video = await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, stop.Token);
                }
                if (video is null)
                {
                    yield break;
                }
                var fingerprint = $"{video.Status}|{video.Progress}|{video.QueuePosition}|{video.UpdatedAt.UtcTicks}|{video.Error}|{video.LogsExcerpt?.Length}";
                if (fingerprint != last)
                {
                    last = fingerprint;
                    yield return new SseItem<VideoDto>(VideoDto.From(video, urls), "video");
                }
                if (video.Status.IsTerminal())
                {
                    yield break;
                }
                await WaitAsync(wake.Reader, time, stop.Token);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    private static async Task WaitAsync(ChannelReader<bool> wake, TimeProvider time, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SafetyInterval);
        try
        {
            await wake.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Safety interval elapsed (or the client left: the loop sees that).
        }
        catch (ChannelClosedException)
        {
            await Task.Delay(SafetyInterval, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task PumpAsync(VideoJobs jobs, string id, ChannelWriter<bool> wake, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await foreach (var e in jobs.Queue.ReadEventsAsync(null, ct))
            {
                if (e.JobId == id)
                {
                    wake.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception)
        {
            // No queue events (store unavailable): the periodic re-read keeps the stream correct.
        }
        finally
        {
            wake.TryComplete();
        }
    }
}
