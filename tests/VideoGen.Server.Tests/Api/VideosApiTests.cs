using System.Net;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>The videos API with workers off, so every video stays where the API put it.</summary>
public sealed class VideosApiTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    [Fact]
    public async Task Create_ValidPrompt_Returns202WithLocationAndQueuedVideo()
    {
        using var response = await Http.PostJsonAsync("/api/videos", """{"prompt":"  a red fox in the snow  ","seed":42}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var video = await response.JsonAsync();
        var id = video.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal($"/api/videos/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", video.GetProperty("status").GetString());
        Assert.Equal("a red fox in the snow", video.GetProperty("prompt").GetString());
        Assert.Equal("local/preview", video.GetProperty("model").GetString());
        Assert.Equal(42, video.GetProperty("seed").GetInt64());
        Assert.Equal(JsonValueKind.Null, video.GetProperty("videoUrl").ValueKind);
        Assert.Equal(4, video.GetProperty("parameters").GetProperty("duration").GetInt32());

        var stored = Assert.Single(await Factory.VideosInDatabaseAsync());
        Assert.Equal(id, stored.Id);
        Assert.Equal(Core.Videos.VideoStatus.Queued, stored.Status);
    }

    [Fact]
    public async Task Create_EnqueuesJobWithVideoId()
    {
        var id = (await Http.CreateVideoAsync()).GetProperty("id").GetString()!;

        var jobs = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Queueing.VideoJobs>(Factory.Services);
        var job = await jobs.Queue.GetAsync(id, TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(id, job.Payload);
        Assert.Equal(VideoGen.Queue.JobState.Waiting, job.State);
    }

    [Fact]
    public async Task Get_CreatedVideo_ReturnsSameVideo()
    {
        var created = await Http.CreateVideoAsync("a lighthouse at dusk");
        var id = created.GetProperty("id").GetString()!;

        var video = await Http.GetVideoAsync(id);

        Assert.Equal(id, video.GetProperty("id").GetString());
        Assert.Equal("queued", video.GetProperty("status").GetString());
        Assert.Equal("a lighthouse at dusk", video.GetProperty("prompt").GetString());
        Assert.Equal(created.GetProperty("createdAt").GetDateTimeOffset(), video.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("no-such-video")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%27%20OR%201%3D1%20--")]
    public async Task Get_UnknownOrMalformedId_Returns404Problem(string id)
    {
        using var response = await Http.GetAsync($"/api/videos/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Video not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task List_PagesNewestFirstWithCursor()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Http.CreateVideoAsync($"video {i}")).GetProperty("id").GetString()!);
        }
        ids.Reverse();

        using var first = await Http.GetAsync("/api/videos?limit=2");
        var page1 = await first.JsonAsync();
        var cursor1 = page1.GetProperty("nextCursor").GetString();
        using var second = await Http.GetAsync($"/api/videos?limit=2&cursor={cursor1}");
        var page2 = await second.JsonAsync();
        var cursor2 = page2.GetProperty("nextCursor").GetString();
        using var third = await Http.GetAsync($"/api/videos?limit=2&cursor={cursor2}");
        var page3 = await third.JsonAsync();

        string[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(ids[0..2], Ids(page1));
        Assert.Equal(ids[2..4], Ids(page2));
        Assert.Equal(ids[4..5], Ids(page3));
        Assert.Equal(JsonValueKind.Null, page3.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=%00%01", "cursor")]
    public async Task List_BadPagingArguments_Return400NamingTheField(string query, string field)
    {
        using var response = await Http.GetAsync($"/api/videos?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Cancel_QueuedVideo_IsCanceledAtOnce()
    {
        var id = (await Http.CreateVideoAsync()).GetProperty("id").GetString()!;

        using var response = await Http.PostAsync($"/api/videos/{id}/cancel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("canceled", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("canceled", (await Http.GetVideoAsync(id)).GetProperty("status").GetString());
        var jobs = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Queueing.VideoJobs>(Factory.Services);
        var job = await jobs.Queue.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(VideoGen.Queue.JobState.Canceled, job?.State);
    }

    [Fact]
    public async Task Cancel_AlreadyCanceledVideo_Returns409()
    {
        var id = (await Http.CreateVideoAsync()).GetProperty("id").GetString()!;
        using var first = await Http.PostAsync($"/api/videos/{id}/cancel");

        using var second = await Http.PostAsync($"/api/videos/{id}/cancel");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cancel_UnknownVideo_Returns404()
    {
        using var response = await Http.PostAsync("/api/videos/0123456789abcdef0123456789abcdef/cancel");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Models_ListsLocalPreviewWithParameters()
    {
        using var response = await Http.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("local/preview", body.GetProperty("defaultModel").GetString());
        var local = body.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "local/preview");
        Assert.Equal("local", local.GetProperty("provider").GetString());
        Assert.False(local.GetProperty("requiresImage").GetBoolean());
        var aspect = local.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "aspect_ratio");
        Assert.Equal("enum", aspect.GetProperty("kind").GetString());
        Assert.Equal("16:9", aspect.GetProperty("default").GetString());
        Assert.Equal(["16:9", "9:16", "1:1"], aspect.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        using var live = await Http.GetAsync("/health/live");
        using var ready = await Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", (await ready.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Page_IsServedAtRoot()
    {
        using var response = await Http.GetAsync("/");
        using var script = await Http.GetAsync("/app.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>VideoGen</title>", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        using var response = await Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
