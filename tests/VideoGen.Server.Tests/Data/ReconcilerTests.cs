using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Data;

/// <summary>DESIGN promise 2: a queued video with no job (crash between insert and enqueue) gets exactly one job.</summary>
public sealed class ReconcilerTests : IAsyncLifetime
{
    private readonly VideoGenFactory _factory = new() { WorkersEnabled = false };

    public async ValueTask InitializeAsync() =>
        // Start the host and let the reconciler's own start-up pass finish, so the test's passes are the only ones.
        await _factory.Services.GetRequiredService<VideoReconciler>().FirstPass.WaitAsync(TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Reconcile_QueuedVideoWithoutJob_IsEnqueuedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = _factory.Services.GetRequiredService<TimeProvider>();
        var orphan = new Video
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Prompt = "left behind by a crash",
            Model = "local/preview",
            Status = VideoStatus.Queued,
            CreatedAt = time.GetUtcNow().AddMinutes(-1),
            UpdatedAt = time.GetUtcNow().AddMinutes(-1),
        };
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Add(orphan);
            await db.SaveChangesAsync(ct);
        }
        var reconciler = _factory.Services.GetRequiredService<VideoReconciler>();
        var queue = _factory.Services.GetRequiredService<VideoJobs>().Queue;
        Assert.Null(await queue.GetAsync(orphan.Id, ct));

        var first = await reconciler.ReconcileOnceAsync(TimeSpan.Zero, ct);
        var second = await reconciler.ReconcileOnceAsync(TimeSpan.Zero, ct);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        var job = await queue.GetAsync(orphan.Id, ct);
        Assert.NotNull(job);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(orphan.Id, job.Payload);
    }

    [Fact]
    public async Task Reconcile_YoungQueuedVideo_IsLeftToTheApi()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = _factory.Services.GetRequiredService<TimeProvider>();
        var fresh = new Video
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Prompt = "just inserted",
            Model = "local/preview",
            CreatedAt = time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(),
        };
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Add(fresh);
            await db.SaveChangesAsync(ct);
        }

        var created = await _factory.Services.GetRequiredService<VideoReconciler>().ReconcileOnceAsync(TimeSpan.FromMinutes(5), ct);

        Assert.Equal(0, created);
        Assert.Null(await _factory.Services.GetRequiredService<VideoJobs>().Queue.GetAsync(fresh.Id, ct));
    }

    [Fact]
    public async Task Reconcile_UnfinishedRowWhoseJobFailed_IsSettled_UnlessTheRowJustChanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = _factory.Services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var stale = await AddWithFailedJobAsync("stale", updatedAt: now.AddMinutes(-1), ct);
        // Just put back in progress (a re-attached lost submit), its failed job about to be retried.
        var touched = await AddWithFailedJobAsync("touched", updatedAt: now, ct);

        await _factory.Services.GetRequiredService<VideoReconciler>().ReconcileOnceAsync(TimeSpan.FromSeconds(30), ct);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(VideoStatus.Failed, (await db.Videos.FindAsync([stale], ct))!.Status);
        Assert.Equal(VideoStatus.InQueue, (await db.Videos.FindAsync([touched], ct))!.Status);
    }

    private async Task<string> AddWithFailedJobAsync(string prompt, DateTimeOffset updatedAt, CancellationToken ct)
    {
        var time = _factory.Services.GetRequiredService<TimeProvider>();
        var video = new Video
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Prompt = prompt,
            Model = "local/preview",
            Status = VideoStatus.InQueue,
            CreatedAt = time.GetUtcNow().AddMinutes(-2),
            UpdatedAt = updatedAt,
        };
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Add(video);
            await db.SaveChangesAsync(ct);
        }

        var jobs = _factory.Services.GetRequiredService<VideoJobs>();
        await jobs.EnqueueAsync(video, ct);
        var claimed = await jobs.Queue.Store.ClaimAsync(new ClaimRequest("test-worker", 100, TimeSpan.FromMinutes(1)), time.GetUtcNow(), ct);
        var lease = Assert.Single(claimed, j => j.Id == video.Id);
        await jobs.Queue.Store.FailAsync(new JobFailure(video.Id, lease.LeaseToken, "boom", Retryable: false, time.GetUtcNow()), time.GetUtcNow(), ct);
        Assert.Equal(JobState.Failed, (await jobs.Queue.GetAsync(video.Id, ct))!.State);
        return video.Id;
    }
}
