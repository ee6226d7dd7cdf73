using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>Prompt to playable file through the real stack in one process: API, SQLite queue, worker, local renderer, ingest, media.</summary>
public sealed class EndToEndTests(ITestOutputHelper output) : VideoGenHostTests(new VideoGenFactory())
{
    [Fact]
    public async Task Create_WithLocalProvider_EventuallySucceedsWithPlayableMedia()
    {
        var watch = Stopwatch.StartNew();
        var id = (await Http.CreateVideoAsync("a red fox running through snow", seed: 7)).GetProperty("id").GetString()!;

        var video = await Http.WaitForStatusAsync(id, s => s is "succeeded" or "failed" or "canceled", TimeSpan.FromSeconds(90), $"video {id} to finish");
        output.WriteLine($"local video end to end: {watch.ElapsedMilliseconds} ms");

        Assert.Equal("succeeded", video.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, video.GetProperty("error").ValueKind);
        Assert.True(video.GetProperty("durationSeconds").GetDouble() > 1, video.GetRawText());
        Assert.Equal(640, video.GetProperty("width").GetInt32());
        Assert.Equal(360, video.GetProperty("height").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, video.GetProperty("completedAt").ValueKind);
        var videoUrl = video.GetProperty("videoUrl").GetString()!;
        var posterUrl = video.GetProperty("posterUrl").GetString()!;
        Assert.StartsWith("/media/", videoUrl, StringComparison.Ordinal);
        Assert.StartsWith("/media/", posterUrl, StringComparison.Ordinal);
        Assert.DoesNotContain("provider", video.GetRawText(), StringComparison.OrdinalIgnoreCase);

        using var file = await Http.GetAsync(videoUrl);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("video/mp4", file.Content.Headers.ContentType?.MediaType);
        var bytes = await file.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));
        using var poster = await Http.GetAsync(posterUrl);
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Events_StreamStatusChangesUntilTerminal()
    {
        var id = (await Http.CreateVideoAsync("a paper boat on a pond")).GetProperty("id").GetString()!;

        using var response = await Http.GetAsync($"/api/videos/{id}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var statuses = new List<string>();
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(line["data: ".Length..]);
                var status = doc.RootElement.GetProperty("status").GetString()!;
                if (statuses.Count == 0 || statuses[^1] != status)
                {
                    statuses.Add(status);
                }
            }
        }

        output.WriteLine(string.Join(" → ", statuses));
        Assert.Equal("succeeded", statuses[^1]);
        Assert.True(statuses.Count >= 3, $"expected several distinct statuses, got {string.Join(", ", statuses)}");
        Assert.Contains("generating", statuses);
    }

    [Fact]
    public async Task Events_UnknownVideo_Returns404()
    {
        using var response = await Http.GetAsync("/api/videos/0123456789abcdef0123456789abcdef/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_RunningVideo_EndsCanceled()
    {
        var id = (await Http.CreateVideoAsync("a slow sunset", seed: 1)).GetProperty("id").GetString()!;
        await Http.WaitForStatusAsync(id, s => s is not "queued", TimeSpan.FromSeconds(30), $"video {id} to start");

        using var response = await Http.PostAsync($"/api/videos/{id}/cancel");

        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.Conflict, $"got {(int)response.StatusCode}");
        var final = await Http.WaitForStatusAsync(id, s => s is "succeeded" or "failed" or "canceled", TimeSpan.FromSeconds(60), $"video {id} to end");
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            Assert.Equal("canceled", final.GetProperty("status").GetString());
        }
    }
}
