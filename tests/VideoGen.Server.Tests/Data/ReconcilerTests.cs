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
}
