using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Events;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Events;

/// <summary>
/// The pump reads the app database per change and per safety interval, never per stream: fifty streams on one video
/// cost what one does, and opening them reads no row once the pump knows the video.
/// </summary>
public sealed class VideoEventPumpTests
{
    [Fact]
    public async Task FiftyStreamsOnOneVideo_CostOneRowReadPerSafetyInterval()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false, Settings = { ["VideoGen:Events:MaxStreamsPerClient"] = "100" } };
        using var http = factory.CreateClient();
        var pump = factory.Services.GetRequiredService<VideoEventPump>();
        var hub = factory.Services.GetRequiredService<VideoEventHub>();
        var id = (await http.CreateVideoAsync("watched by fifty")).GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => pump.RowsRead >= 1, "the pump to read the new video once");

        var streams = new List<SseClient>();
        for (var i = 0; i < 50; i++)
        {
            var stream = await SseClient.OpenAsync(http, $"/api/videos/{id}/events");
            Assert.Equal("queued", (await stream.NextAsync(TimeSpan.FromSeconds(20), "a stream's first event"))?.Status);
            streams.Add(stream);
        }
        var before = pump.RowsRead;
        // A measuring window of three safety intervals, not a wait for a condition.
        await Task.Delay(VideoEventPump.SafetyInterval * 3, TestContext.Current.CancellationToken);
        var read = pump.RowsRead - before;

        Assert.Equal(50, hub.Subscribers);
        Assert.InRange(read, 1, 4);
        streams.ForEach(s => s.Dispose());
    }
}
