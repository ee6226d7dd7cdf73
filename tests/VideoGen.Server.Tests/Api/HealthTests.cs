using System.Net;
using System.Text.Json;
using VideoGen.Server.Tests.Accounts;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>
/// <c>/health/ready</c> names each thing it checks (app database, queue store, ffmpeg, free disk space) with its status
/// and nothing else a stranger could use; <c>/health/live</c> checks only the process; admins also see the open streams.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Ready_NamesEachCheck_WithItsStatusOnly()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        // An account leaves single-user mode: the caller below is a stranger, not the local owner (an admin).
        await factory.CreateUserAsync("a@example.com");
        using var http = factory.AnonymousClient();

        using var ready = await http.GetAsync("/health/ready");
        var body = await ready.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(["database", "disk", "ffmpeg", "queue"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        Assert.All(body.GetProperty("checks").EnumerateArray(), c =>
        {
            Assert.Equal("Healthy", c.GetProperty("status").GetString());
            Assert.Equal(["name", "status"], c.EnumerateObject().Select(p => p.Name));
        });
        Assert.Equal(["checks", "status"], body.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Ready_WithoutFfmpeg_IsUnhealthy_AndSaysWhichCheckFailed_WithoutItsPath()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Ffmpeg:FfmpegPath"] = Path.Combine(factory.DataDir, "no-such-ffmpeg");
        using var http = factory.AnonymousClient();

        using var ready = await http.GetAsync("/health/ready");
        var text = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var checks = JsonDocument.Parse(text).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", checks["ffmpeg"]);
        Assert.Equal("Healthy", checks["database"]);
        Assert.DoesNotContain(factory.DataDir, text, StringComparison.Ordinal);
        Assert.DoesNotContain("no-such-ffmpeg", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_RunsNoCheck_EvenWhenReadyFails()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Ffmpeg:FfmpegPath"] = Path.Combine(factory.DataDir, "no-such-ffmpeg");
        using var http = factory.AnonymousClient();

        using var live = await http.GetAsync("/health/live");
        var body = await live.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateArray());
    }

    [Fact]
    public async Task Ready_ForAnAdmin_CountsOpenEventStreams()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync("a counted stream")).GetProperty("id").GetString()!;

        using var stream = await Events.SseClient.OpenAsync(http, $"/api/videos/{id}/events");
        using var ready = await http.GetAsync("/health/ready");

        Assert.Equal(1, (await ready.JsonAsync()).GetProperty("detail").GetProperty("eventStreamsOpen").GetInt32());
    }
}
