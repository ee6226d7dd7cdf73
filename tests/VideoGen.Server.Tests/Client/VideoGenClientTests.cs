using System.Net;
using VideoGen.Client;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Client;

/// <summary><c>VideoGen.Client</c> against the real server in memory: every call it offers, and refusals as typed problems.</summary>
public sealed class VideoGenClientTests : IAsyncLifetime
{
    private readonly VideoGenFactory _factory = new();
    private VideoGenClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _client = new VideoGenClient(_factory.CreateClient());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_Watch_Download_FollowsTheVideoToItsFile()
    {
        var created = await _client.CreateVideoAsync(new CreateVideoRequest { Prompt = "a client fox", Seed = 11, Parameters = new Dictionary<string, object?> { ["duration"] = 2 } }, Ct);

        var statuses = new List<string>();
        Video? last = null;
        await foreach (var e in _client.WatchVideoAsync(created.Id, ct: Ct))
        {
            statuses.Add(e.Video.Status);
            last = e.Video;
        }

        Assert.Equal(VideoStatuses.Queued, created.Status);
        Assert.Equal(11, created.Seed);
        Assert.NotNull(last);
        Assert.Equal(VideoStatuses.Succeeded, last.Status);
        Assert.Equal(VideoStatuses.Succeeded, statuses[^1]);
        Assert.Equal(2, last.Parameters!.Value.GetProperty("duration").GetInt32());
        using var file = new MemoryStream();
        var bytes = await _client.DownloadAsync(last.VideoUrl!, file, Ct);
        Assert.Equal(file.Length, bytes);
        Assert.Equal("ftyp"u8.ToArray(), file.ToArray()[4..8]);
    }

    [Fact]
    public async Task List_PagesThroughEveryVideoNewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _client.CreateVideoAsync(new CreateVideoRequest { Prompt = $"listed fox {i}" }, Ct)).Id);
        }

        var first = await _client.ListVideosAsync(new VideoListQuery { Limit = 2 }, Ct);
        var all = new List<string>();
        await foreach (var v in _client.ListAllVideosAsync(new VideoListQuery { Limit = 2 }, Ct))
        {
            all.Add(v.Id);
        }

        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(Enumerable.Reverse(ids), all);
    }

    [Fact]
    public async Task InvalidRequest_IsAVideoGenApiExceptionWithTheFieldErrors()
    {
        var e = await Assert.ThrowsAsync<VideoGenApiException>(() => _client.CreateVideoAsync(new CreateVideoRequest { Prompt = "fox", Model = "no/such-model" }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal(400, e.Problem.Status);
        Assert.Contains("Unknown model 'no/such-model'", e.Problem.Errors!["model"][0], StringComparison.Ordinal);
        Assert.Contains("model: Unknown model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingVideo_IsNotFound_ForGetWatchAndDelete()
    {
        const string id = "0123456789abcdef0123456789abcdef";

        var get = await Assert.ThrowsAsync<VideoGenApiException>(() => _client.GetVideoAsync(id, Ct));
        var watch = await Assert.ThrowsAsync<VideoGenApiException>(async () =>
        {
            await foreach (var _ in _client.WatchVideoAsync(id, ct: Ct))
            {
            }
        });
        var delete = await Assert.ThrowsAsync<VideoGenApiException>(() => _client.DeleteVideoAsync(id, Ct));

        Assert.All(new[] { get, watch, delete }, e => Assert.True(e.IsNotFound));
        Assert.Equal("Video not found", get.Problem.Title);
    }

    [Fact]
    public async Task Upload_IsServedBackToItsOwner()
    {
        var upload = await _client.UploadImageAsync(new MemoryStream(UploadSamples.Png), "fox.png", "image/png", Ct);

        Assert.StartsWith("/media/uploads/", upload.Url, StringComparison.Ordinal);
        using var copy = new MemoryStream();
        await _client.DownloadAsync(upload.Url, copy, Ct);
        Assert.Equal(UploadSamples.Png[..8], copy.ToArray()[..8]);
    }

    [Fact]
    public async Task ModelsAndMe_DescribeTheCatalogAndTheCaller()
    {
        var models = await _client.GetModelsAsync(Ct);
        var me = await _client.GetMeAsync(Ct);

        Assert.Contains(models.Items, m => m.Id == models.DefaultModel);
        Assert.Contains(models.Items.Single(m => m.Id == "local/preview").Parameters, p => p.Name == "duration");
        Assert.Equal("single-user", me.Mode);
        Assert.True(me.User!.IsAdmin);
    }

    [Fact]
    public async Task CancelAndDelete_OnAWaitingVideo()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var client = new VideoGenClient(factory.CreateClient());
        var video = await client.CreateVideoAsync(new CreateVideoRequest { Prompt = "a fox that never runs" }, Ct);

        var canceled = await client.CancelVideoAsync(video.Id, Ct);
        var events = new List<VideoEvent>();
        await foreach (var e in client.WatchVideoAsync(video.Id, ct: Ct))
        {
            events.Add(e);
        }
        await client.DeleteVideoAsync(video.Id, Ct);

        Assert.Equal(VideoStatuses.Canceled, canceled.Status);
        // The process's event pump may still hold the state from before the cancel and send it first; the stream
        // ends with the canceled video either way.
        Assert.NotEmpty(events);
        Assert.Equal(VideoStatuses.Canceled, events[^1].Video.Status);
        Assert.All(events, e => Assert.Equal(video.Id, e.Video.Id));
        var gone = await Assert.ThrowsAsync<VideoGenApiException>(() => client.GetVideoAsync(video.Id, Ct));
        Assert.True(gone.IsNotFound);
        var afterDelete = await Assert.ThrowsAsync<VideoGenApiException>(() => client.CancelVideoAsync(video.Id, Ct));
        Assert.True(afterDelete.IsNotFound);
    }

    [Fact]
    public async Task UnreachableServer_IsAnHttpRequestException()
    {
        using var client = new VideoGenClient(new Uri($"http://127.0.0.1:{LoopbackPort.Free()}"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetModelsAsync(Ct));
    }
}
