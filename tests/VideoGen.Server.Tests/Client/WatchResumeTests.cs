using System.Net;
using System.Text;
using VideoGen.Client;

namespace VideoGen.Server.Tests.Client;

/// <summary>
/// <see cref="VideoGenClient.WatchVideoAsync"/> when a stream ends early: it reconnects, sends the last event id it
/// saw as <c>Last-Event-ID</c>, honours the server's <c>retry:</c>, skips comments (heartbeats), and gives up after
/// <see cref="VideoGenClient.MaxReconnects"/> empty streams in a row. Driven by a scripted handler (no server).
/// </summary>
public sealed class WatchResumeTests
{
    private static string Video(string status) =>
        $$"""{"id":"v1","status":"{{status}}","prompt":"p","model":"local/preview","logs":[],"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""";

    /// <summary>Answers each request with the next scripted stream and records the Last-Event-ID it carried.</summary>
    private sealed class ScriptedStreams(params string[] streams) : HttpMessageHandler
    {
        private int _next;

        public List<string?> LastEventIds { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastEventIds.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
            var body = _next < streams.Length ? streams[_next++] : "";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "text/event-stream"),
            });
        }
    }

    private static async Task<List<VideoEvent>> WatchAsync(VideoGenClient client, string? lastEventId = null)
    {
        var events = new List<VideoEvent>();
        await foreach (var e in client.WatchVideoAsync("v1", lastEventId, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public async Task DroppedStream_ResumesWithTheLastEventId_UntilATerminalStatus()
    {
        var handler = new ScriptedStreams(
            $": heartbeat\nretry: 10\nid: 7\nevent: video\ndata: {Video("queued")}\n\n",
            $"id: 8\nevent: video\ndata: {Video("generating")}\n\n: heartbeat\n\nid: 9\nevent: video\ndata: {Video("succeeded")}\n\n");
        using var client = new VideoGenClient(new HttpClient(handler) { BaseAddress = new Uri("http://videogen.test") });

        var events = await WatchAsync(client, lastEventId: "5");

        Assert.Equal(["queued", "generating", "succeeded"], events.Select(e => e.Video.Status));
        Assert.Equal(["7", "8", "9"], events.Select(e => e.Id));
        Assert.Equal(["5", "7"], handler.LastEventIds);
    }

    [Fact]
    public async Task StreamsThatEndWithoutEvents_AreRetriedAFewTimes_ThenFail()
    {
        var handler = new ScriptedStreams();
        using var client = new VideoGenClient(new HttpClient(handler) { BaseAddress = new Uri("http://videogen.test") })
        {
            MaxReconnects = 2,
            ReconnectDelay = TimeSpan.FromMilliseconds(1),
        };

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => WatchAsync(client));

        Assert.Equal(3, handler.LastEventIds.Count);
        Assert.Contains("ended 3 times in a row without an event", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultiLineData_IsJoinedWithNewlines()
    {
        var json = Video("succeeded");
        var split = json.Replace(",\"prompt\"", "\ndata: ,\"prompt\"", StringComparison.Ordinal);
        var handler = new ScriptedStreams($"event: video\ndata: {split}\n\n");
        using var client = new VideoGenClient(new HttpClient(handler) { BaseAddress = new Uri("http://videogen.test") });

        var events = await WatchAsync(client);

        Assert.Equal("succeeded", Assert.Single(events).Video.Status);
        Assert.Null(events[0].Id);
    }
}
