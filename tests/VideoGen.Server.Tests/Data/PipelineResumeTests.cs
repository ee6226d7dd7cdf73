using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Local;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// DESIGN promise 4 through the real EF repository: a run that dies after submit leaves the
/// provider handle on the row, and the next run re-attaches to it instead of submitting (paying) again.
/// </summary>
public sealed class PipelineResumeTests() : VideoGenHostTests(new VideoGenFactory
{
    WorkersEnabled = false,
    TestServices = services =>
    {
        services.RemoveAll<IVideoProvider>();
        services.AddSingleton(sp => new CountingProvider(sp.GetRequiredService<LocalPreviewProvider>()));
        services.AddSingleton<IVideoProvider>(sp => sp.GetRequiredService<CountingProvider>());
    },
})
{
    [Fact]
    public async Task Run_CrashAfterSubmit_ResumesWithSameRequestIdWithoutSecondSubmit()
    {
        var id = (await Http.CreateVideoAsync("a kite over the dunes", seed: 11)).GetProperty("id").GetString()!;
        var provider = Factory.Services.GetRequiredService<CountingProvider>();
        var repository = Factory.Services.GetRequiredService<IVideoRepository>();

        using var crash = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        provider.CrashOnFirstStatus = crash;
        await using (var first = Factory.Services.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                first.ServiceProvider.GetRequiredService<VideoPipeline>().RunAsync(id, null, crash.Token));
        }

        var afterCrash = await repository.FindAsync(id, TestContext.Current.CancellationToken);
        Assert.NotNull(afterCrash);
        Assert.Equal(1, provider.Submits);
        Assert.False(afterCrash.Status.IsTerminal(), $"status after crash: {afterCrash.Status}");
        var requestId = afterCrash.ProviderRequestId;
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal("local", afterCrash.Provider);

        await using (var second = Factory.Services.CreateAsyncScope())
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            var status = await second.ServiceProvider.GetRequiredService<VideoPipeline>().RunAsync(id, null, timeout.Token);
            Assert.Equal(VideoStatus.Succeeded, status);
        }

        var done = await repository.FindAsync(id, TestContext.Current.CancellationToken);
        Assert.NotNull(done);
        Assert.Equal(1, provider.Submits);
        Assert.Equal(requestId, done.ProviderRequestId);
        Assert.Equal(VideoStatus.Succeeded, done.Status);
        Assert.NotNull(done.ResultPath);
        Assert.Equal("succeeded", (await Http.GetVideoAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Save_StaleCopy_DoesNotEraseCancelRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = (await Http.CreateVideoAsync("a stale copy")).GetProperty("id").GetString()!;
        var repository = Factory.Services.GetRequiredService<IVideoRepository>();
        var workerCopy = await repository.FindAsync(id, ct);
        Assert.NotNull(workerCopy);

        // What the cancel API writes for a video whose job a worker holds: the request only, not the status.
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var row = await db.Videos.FirstAsync(v => v.Id == id, ct);
            row.CancelRequestedAt = TimeProvider.System.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        workerCopy.Progress = 0.5;
        var saved = await repository.TrySaveAsync(workerCopy, StoredVideoState.Of(workerCopy), ct);

        var stored = await repository.FindAsync(id, ct);
        Assert.True(saved);
        Assert.NotNull(stored);
        Assert.NotNull(stored.CancelRequestedAt);
        Assert.Equal(0.5, stored.Progress);
    }

    [Fact]
    public async Task Save_StaleCopyOfAVideoCanceledMeanwhile_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = (await Http.CreateVideoAsync("canceled while a stale copy was held")).GetProperty("id").GetString()!;
        var repository = Factory.Services.GetRequiredService<IVideoRepository>();
        var workerCopy = await repository.FindAsync(id, ct);
        Assert.NotNull(workerCopy);

        // No worker holds the job, so the API cancels the video at once.
        using var cancel = await Http.PostAsync($"/api/videos/{id}/cancel");
        workerCopy.Status = VideoStatus.Submitting;
        var saved = await repository.TrySaveAsync(workerCopy, new StoredVideoState(VideoStatus.Queued, null), ct);

        var stored = await repository.FindAsync(id, ct);
        Assert.False(saved);
        Assert.NotNull(stored);
        Assert.Equal(VideoStatus.Canceled, stored.Status);
    }
}
