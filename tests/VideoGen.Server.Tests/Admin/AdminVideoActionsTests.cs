using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Admin;

/// <summary>
/// Issue 11, path 5: the admin API's retry and removal act on the video, not only on its job. Real host and SQLite
/// queue with workers off; a video's run is made by resolving the pipeline, as the worker would.
/// </summary>
public sealed class AdminVideoActionsTests : IAsyncLifetime
{
    private AdminHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await AdminHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Retry_FailedVideoNeverSubmitted_ReopensItQueued_AndItsNextRunSucceeds()
    {
        var id = await FailedVideoAsync(v => v.ErrorType = "transient_error");

        using var response = await _host.Http.PostAsync($"/api/admin/queues/videos/jobs/{id}/retry", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("waiting", (await response.JsonAsync()).GetProperty("state").GetString());
        var reopened = await VideoAsync(id);
        Assert.Equal(VideoStatus.Queued, reopened.Status);
        Assert.Null(reopened.Error);
        Assert.Null(reopened.ErrorType);
        Assert.Null(reopened.CompletedAt);
        Assert.Equal(VideoStatus.Succeeded, await RunPipelineAsync(id));
        var done = await VideoAsync(id);
        Assert.Equal(VideoStatus.Succeeded, done.Status);
        Assert.NotNull(done.ProviderRequestId);
    }

    [Fact]
    public async Task Retry_FailedVideoWithAProviderRequest_ReattachesToIt_NothingSubmittedAgain()
    {
        var handle = await SubmitAtLocalProviderAsync("vid-reattach");
        var id = await FailedVideoAsync(v =>
        {
            v.Provider = handle.Provider;
            v.ProviderRequestId = handle.RequestId;
            v.SubmittedAt = TimeProvider.System.GetUtcNow();
            v.ErrorType = "transient_error";
        }, "vid-reattach");

        using var response = await _host.Http.PostAsync($"/api/admin/queues/videos/jobs/{id}/retry", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reopened = await VideoAsync(id);
        Assert.Equal(VideoStatus.InQueue, reopened.Status);
        Assert.Equal(handle.RequestId, reopened.ProviderRequestId);
        Assert.Null(reopened.ErrorType);
        Assert.Equal(JobState.Waiting, (await _host.Store().GetAsync(id, Ct))!.State);
        Assert.Equal(VideoStatus.Succeeded, await RunPipelineAsync(id));
        var done = await VideoAsync(id);
        Assert.Equal(VideoStatus.Succeeded, done.Status);
        Assert.Equal(handle.RequestId, done.ProviderRequestId);
    }

    [Fact]
    public async Task Retry_VideoWhoseSubmitOutcomeIsUnknown_Is409_AndChangesNothing()
    {
        var id = await FailedVideoAsync(v => v.ErrorType = ProviderErrorTypes.SubmitOutcomeUnknown);

        using var response = await _host.Http.PostAsync($"/api/admin/queues/videos/jobs/{id}/retry", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Video cannot be retried", (await response.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal(VideoStatus.Failed, (await VideoAsync(id)).Status);
        Assert.Equal(JobState.Failed, (await _host.Store().GetAsync(id, Ct))!.State);
    }

    [Fact]
    public async Task Remove_WaitingJobOfASubmittedVideo_CancelsTheVideoAtTheProvider_AndTheReconcilerLeavesItCanceled()
    {
        var handle = await SubmitAtLocalProviderAsync("vid-remove");
        var id = await AddVideoAsync("vid-remove", v =>
        {
            v.Status = VideoStatus.InQueue;
            v.Provider = handle.Provider;
            v.ProviderRequestId = handle.RequestId;
            v.SubmittedAt = TimeProvider.System.GetUtcNow();
        });
        await _host.Store().EnqueueAsync(new EnqueueRequest { Id = id, Payload = id }, TimeProvider.System.GetUtcNow(), Ct);

        using var response = await _host.Http.DeleteAsync($"/api/admin/queues/videos/jobs/{id}", Ct);
        await _host.Services.GetRequiredService<VideoReconciler>().ReconcileOnceAsync(TimeSpan.Zero, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var video = await VideoAsync(id);
        Assert.Equal(VideoStatus.Canceled, video.Status);
        Assert.Equal(VideoAdminActions.RemovedMessage, video.Error);
        Assert.NotNull(video.CompletedAt);
        Assert.NotNull(video.ProviderCanceledAt);
        Assert.Null(await _host.Store().GetAsync(id, Ct));
    }

    private async Task<ProviderHandle> SubmitAtLocalProviderAsync(string videoId)
    {
        var provider = _host.Services.GetRequiredService<VideoProviderRegistry>().Find("local")!;
        return await provider.SubmitAsync(new ProviderRequest(videoId, "local/preview", "a kite over a beach", 3, null, null, null, null), Ct);
    }

    /// <summary>A video that failed for good, with its job failed too (as the worker leaves them).</summary>
    private async Task<string> FailedVideoAsync(Action<Video> shape, string id = "vid-failed")
    {
        await AddVideoAsync(id, v =>
        {
            v.Status = VideoStatus.Failed;
            v.Error = "Gave up after 3 attempts: boom";
            v.CompletedAt = TimeProvider.System.GetUtcNow();
            shape(v);
        });
        return await _host.FailedJobAsync(id);
    }

    private async Task<string> AddVideoAsync(string id, Action<Video> shape)
    {
        var now = TimeProvider.System.GetUtcNow();
        var video = new Video { Id = id, Prompt = "a kite over a beach", Model = "local/preview", Seed = 3, CreatedAt = now, UpdatedAt = now };
        shape(video);
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        db.Videos.Add(video);
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private async Task<Video> VideoAsync(string id) =>
        (await _host.Services.GetRequiredService<IVideoRepository>().FindAsync(id, Ct))!;

    /// <summary>One run of the video, as a worker makes it from its own scope.</summary>
    private async Task<VideoStatus> RunPipelineAsync(string id)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VideoPipeline>().RunAsync(id, null, Ct);
    }
}
