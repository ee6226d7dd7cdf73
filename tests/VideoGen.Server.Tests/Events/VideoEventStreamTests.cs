using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Events;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Events;

/// <summary>
/// The two streams over HTTP, fed by the one pump: the list-wide route is not taken for a video id, it carries each
/// change of the caller's videos as <c>event: video</c> with a resumable id, a resume replays what was missed, and a
/// per-video stream starts with the video now and ends after its final status.
/// </summary>
public sealed class VideoEventStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ListStreamRoute_WinsOverTheVideoIdRoute()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();

        using var stream = await SseClient.OpenAsync(http, "/api/videos/events");

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ListStream_CarriesEachChangeOfTheCallersVideos_AsVideoEventsWithIds()
    {
        await using var factory = new VideoGenFactory();
        using var http = factory.CreateClient();
        using var stream = await SseClient.OpenAsync(http, "/api/videos/events");

        var id = (await http.CreateVideoAsync("a kite over the dunes")).GetProperty("id").GetString()!;
        var queued = await stream.UntilAsync(e => e.VideoId == id, Wait, "the new video's first event");
        var done = await stream.UntilAsync(e => e.VideoId == id && e.Status == "succeeded", TimeSpan.FromSeconds(60), "the video's success");

        Assert.Equal(VideoStreamResult.EventName, queued.Name);
        Assert.True(StreamPosition.TryParse(queued.Id, out var first), $"a resumable id, got '{queued.Id}'");
        Assert.True(StreamPosition.TryParse(done.Id, out var last));
        Assert.True(last.Value.Sequence > first.Value.Sequence);
        Assert.Equal("a kite over the dunes", done.Json.GetProperty("prompt").GetString());
        Assert.StartsWith("/media/", done.Json.GetProperty("videoUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListStream_ResumedWithLastEventId_ReplaysTheChangesItMissed()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        string seen;
        using (var stream = await SseClient.OpenAsync(http, "/api/videos/events"))
        {
            var a = (await http.CreateVideoAsync("first")).GetProperty("id").GetString()!;
            seen = (await stream.UntilAsync(e => e.VideoId == a, Wait, "the first video's event")).Id!;
        }

        // While no stream is open: a new video, and a cancel.
        var b = (await http.CreateVideoAsync("second")).GetProperty("id").GetString()!;
        using (var cancel = await http.PostAsync($"/api/videos/{b}/cancel"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
        var hub = factory.Services.GetRequiredService<VideoEventHub>();
        await Eventually.TrueAsync(async () => (await http.GetVideoAsync(b)).GetProperty("status").GetString() == "canceled", "the second video to be canceled");

        using var resumed = await SseClient.OpenAsync(http, "/api/videos/events", lastEventId: seen);
        var canceled = await resumed.UntilAsync(e => e.VideoId == b && e.Status == "canceled", Wait, "the missed cancel, replayed");

        Assert.StartsWith(hub.Epoch + "-", canceled.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListStream_ResumedWithAnIdOfAnotherRun_ResendsWhatChangedSinceItsTime()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync("from before a restart")).GetProperty("id").GetString()!;
        var at = (await http.GetVideoAsync(id)).GetProperty("updatedAt").GetDateTimeOffset().ToUnixTimeMilliseconds();

        using var resumed = await SseClient.OpenAsync(http, "/api/videos/events", lastEventId: $"0badf00d-7-{at - 1000}");
        var again = await resumed.UntilAsync(e => e.VideoId == id, Wait, "the video changed since the id's time");

        Assert.Equal("queued", again.Status);
    }

    [Fact]
    public async Task VideoStream_StartsWithTheVideoNow_AndEndsAfterItsFinalStatus()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync("a slow tide")).GetProperty("id").GetString()!;
        using var stream = await SseClient.OpenAsync(http, $"/api/videos/{id}/events");

        var now = await stream.NextAsync(Wait, "the video's state now");
        using (var cancel = await http.PostAsync($"/api/videos/{id}/cancel"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
        var final = await stream.UntilAsync(e => e.Status == "canceled", Wait, "the cancel");
        var end = await stream.NextAsync(Wait, "the end of the stream");

        Assert.Equal("queued", now!.Status);
        Assert.Equal(id, final.VideoId);
        Assert.Null(end);
        await Eventually.TrueAsync(() => factory.Services.GetRequiredService<VideoEventHub>().Subscribers == 0, "the ended stream to unsubscribe");
    }
}
