using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using VideoGen.Server.Apis;

namespace VideoGen.Server.Events;

/// <summary>
/// Writes one Server-Sent Events stream from a <see cref="VideoSubscription"/>: headers at once, then
/// <paramref name="catchUp"/> (a snapshot, a replay, or changes re-read since a <c>Last-Event-ID</c>), then each
/// change as <c>id:</c> + <c>event: video</c> + <c>data:</c> (the video JSON), and heartbeats as SSE comments.
/// It ends when the client leaves, the server stops, <see cref="MaxStreamDuration"/> passes, the stream fell too
/// far behind (the client resumes with <c>Last-Event-ID</c>), or — for a per-video stream — after a final status
/// or the video's deletion.
/// </summary>
public sealed class VideoStreamResult(VideoSubscription subscription, IReadOnlyList<VideoChange> catchUp, bool perVideo)
    : IResult, IEndpointMetadataProvider
{
    public const string EventName = VideoChange.EventName;

    /// <summary>Streams end after this long so a forgotten tab does not hold a connection forever; clients reconnect.</summary>
    public static readonly TimeSpan MaxStreamDuration = TimeSpan.FromMinutes(30);

    private static readonly byte[] Opened = Encoding.UTF8.GetBytes("retry: 3000\n: open\n\n");
    private static readonly byte[] HeartbeatFrame = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var owned = subscription;
        var response = httpContext.Response;
        var stopping = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        stop.CancelAfter(MaxStreamDuration);
        var ct = stop.Token;
        // Changes older than what the catch-up showed (published between subscribing and that read) are skipped.
        var floor = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in catchUp)
        {
            floor[c.VideoId] = Math.Max(floor.GetValueOrDefault(c.VideoId), c.Position.UpdatedAtMs);
        }
        try
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.Body.WriteAsync(Opened, ct);
            await response.Body.FlushAsync(ct);
            foreach (var change in catchUp)
            {
                if (await WriteAsync(response, change, ct))
                {
                    return;
                }
            }
            await response.Body.FlushAsync(ct);
            var items = subscription.Items;
            // Leaving closes the inbox instead of throwing out of the wait: thousands of clients leaving at once cost
            // no exception each.
            using var leave = ct.Register(static s => ((VideoSubscription)s!).Dispose(), subscription);
            while (await items.WaitToReadAsync(CancellationToken.None) && !ct.IsCancellationRequested)
            {
                while (!ct.IsCancellationRequested && items.TryRead(out var item))
                {
                    if (item is null)
                    {
                        await response.Body.WriteAsync(HeartbeatFrame, ct);
                    }
                    else if (!floor.TryGetValue(item.VideoId, out var shown) || item.Position.UpdatedAtMs >= shown)
                    {
                        if (await WriteAsync(response, item, ct))
                        {
                            return;
                        }
                    }
                }
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left, the server is stopping, or the stream's time is up.
        }
        catch (IOException)
        {
            // The client's connection broke mid-write.
        }
    }

    /// <summary>Writes a change; returns whether the stream is over (a per-video stream's final status or deletion).</summary>
    private async Task<bool> WriteAsync(HttpResponse response, VideoChange change, CancellationToken ct)
    {
        if (change.Deleted)
        {
            return perVideo;
        }
        await response.Body.WriteAsync(change.Frame, ct);
        if (perVideo && change.Terminal)
        {
            await response.Body.FlushAsync(ct);
            return true;
        }
        return false;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(VideoDto), ["text/event-stream"]));
}
