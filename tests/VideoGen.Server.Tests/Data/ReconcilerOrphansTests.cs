using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Core.Models;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Local;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// Issue 11, path 3: every unfinished video without a live job gets its job back — whatever its status, however
/// many unfinished videos there are — and the pipeline then re-attaches to the provider request saved on the row.
/// </summary>
public sealed class ReconcilerOrphansTests
{
    private static readonly VideoStatus[] Unfinished =
        [VideoStatus.Queued, VideoStatus.Submitting, VideoStatus.InQueue, VideoStatus.Generating, VideoStatus.Ingesting];

    [Fact]
    public async Task GeneratingVideoWhoseJobWasRemoved_GetsItBack_AndCompletesWithoutASecondSubmission()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new VideoGenFactory
        {
            WorkersEnabled = true,
            TestServices = services =>
            {
                services.RemoveAll<IVideoProvider>();
                services.AddSingleton(sp => new CountingProvider(sp.GetRequiredService<LocalPreviewProvider>()));
                services.AddSingleton<IVideoProvider>(sp => sp.GetRequiredService<CountingProvider>());
            },
        };
        factory.Settings["VideoGen:Queue:ReconcileInterval"] = "1.00:00:00";
        var reconciler = factory.Services.GetRequiredService<VideoReconciler>();
        await reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var provider = factory.Services.GetRequiredService<CountingProvider>();
        var time = factory.Services.GetRequiredService<TimeProvider>();
        var id = Guid.CreateVersion7().ToString("N");
        // The paid submit happened and its handle was saved; the video was generating when its job vanished.
        var handle = await provider.SubmitAsync(new ProviderRequest(id, LocalModelSource.PreviewModelId, "a lighthouse at dusk", 3, null, null, null, null), ct);
        var longAgo = time.GetUtcNow().AddMinutes(-2);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Add(new Video
            {
                Id = id,
                Prompt = "a lighthouse at dusk",
                Model = LocalModelSource.PreviewModelId,
                Seed = 3,
                Status = VideoStatus.Generating,
                Provider = handle.Provider,
                ProviderRequestId = handle.RequestId,
                ProviderStatusUrl = handle.StatusUrl,
                ProviderResponseUrl = handle.ResponseUrl,
                ProviderCancelUrl = handle.CancelUrl,
                SubmittedAt = longAgo,
                Progress = 0.4,
                CreatedAt = longAgo,
                UpdatedAt = longAgo,
            });
            await db.SaveChangesAsync(ct);
        }
        var queue = factory.Services.GetRequiredService<VideoJobs>().Queue;
        Assert.Null(await queue.GetAsync(id, ct));

        var pass = await reconciler.ReconcilePassAsync(VideoReconciler.Grace, ct);
        var done = await Eventually.WaitForAsync(
            () => Row(factory, id),
            v => v.Status.IsTerminal(),
            TimeSpan.FromSeconds(90),
            "the video given its job back to end");

        Assert.Equal(1, pass.Created);
        Assert.Equal(VideoStatus.Succeeded, done.Status);
        Assert.Equal(handle.RequestId, done.ProviderRequestId);
        Assert.NotNull(done.ResultPath);
        Assert.Equal(1, provider.Submits);
        await Eventually.WaitForAsync(() => queue.GetAsync(id, ct), j => j?.State == JobState.Completed, TimeSpan.FromSeconds(30), "the job given back to complete");
    }

    [Fact]
    public async Task MoreUnfinishedVideosThanOnePassLooksAt_AllGetTheirJobsBack_WithinOneCycle()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Queue:ReconcileInterval"] = "1.00:00:00";
        factory.Settings["VideoGen:Queue:ReconcileRowsPerPass"] = "500";
        var reconciler = factory.Services.GetRequiredService<VideoReconciler>();
        await reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var time = factory.Services.GetRequiredService<TimeProvider>();
        var start = time.GetUtcNow().AddHours(-1);
        var orphans = Enumerable.Range(0, 1_234).Select(i => new Video
        {
            Id = $"{i:D5}-{Guid.NewGuid():N}",
            Prompt = $"orphan {i}",
            Model = LocalModelSource.PreviewModelId,
            Status = Unfinished[i % Unfinished.Length],
            CreatedAt = start.AddMilliseconds(i),
            UpdatedAt = start.AddMilliseconds(i),
        }).ToList();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.AddRange(orphans);
            await db.SaveChangesAsync(ct);
        }

        var passes = new List<ReconcilePass>();
        for (var i = 0; i < 3; i++)
        {
            passes.Add(await reconciler.ReconcilePassAsync(VideoReconciler.Grace, ct));
        }
        var nextCycle = await reconciler.ReconcilePassAsync(VideoReconciler.Grace, ct);

        Assert.Equal([new ReconcilePass(500, 500, 0, false), new ReconcilePass(500, 500, 0, false), new ReconcilePass(234, 234, 0, true)], passes);
        Assert.Equal(new ReconcilePass(500, 0, 0, false), nextCycle);
        var queue = factory.Services.GetRequiredService<VideoJobs>().Queue;
        foreach (var video in orphans)
        {
            var job = await queue.GetAsync(video.Id, ct);
            Assert.True(job is { State: JobState.Waiting }, $"{video.Id} ({video.Status.ToWire()}) has job state {job?.State.ToString() ?? "none"}");
        }
    }

    [Fact]
    public async Task UnfinishedVideoChangedWithinTheGrace_IsLeftAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Queue:ReconcileInterval"] = "1.00:00:00";
        var reconciler = factory.Services.GetRequiredService<VideoReconciler>();
        await reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var id = Guid.CreateVersion7().ToString("N");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Add(new Video
            {
                Id = id,
                Prompt = "being re-attached right now",
                Model = LocalModelSource.PreviewModelId,
                Status = VideoStatus.InQueue,
                ProviderRequestId = "req-1",
                CreatedAt = now.AddMinutes(-5),
                UpdatedAt = now,
            });
            await db.SaveChangesAsync(ct);
        }

        var pass = await reconciler.ReconcilePassAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(new ReconcilePass(1, 0, 0, true), pass);
        Assert.Null(await factory.Services.GetRequiredService<VideoJobs>().Queue.GetAsync(id, ct));
    }

    private static async Task<Video> Row(VideoGenFactory factory, string id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Videos.AsNoTracking().FirstAsync(v => v.Id == id);
    }
}
