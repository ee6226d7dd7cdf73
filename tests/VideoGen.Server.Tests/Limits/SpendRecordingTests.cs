using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// Spend is recorded by the pipeline at the paid submit: the estimated cost becomes <c>spentCostUsd</c> once the
/// provider accepted the video, and a video canceled before its submit was never charged.
/// </summary>
public sealed class SpendRecordingTests
{
    [Fact]
    public async Task SubmittedVideo_IsChargedItsEstimate_AndACanceledOneIsNot()
    {
        await using var factory = new VideoGenFactory();
        using var http = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        // The local renderer is free, so the row carries a priced estimate as a paid model's would.
        var charged = await AddQueuedAsync(factory, 0.40m);
        await factory.Services.GetRequiredService<VideoJobs>().EnqueueAsync(charged, ct);
        await http.WaitForStatusAsync(charged.Id, s => s == "succeeded", TimeSpan.FromSeconds(60), "the priced video to succeed");
        // Held in the queue, so it is canceled before any submit.
        await factory.Services.GetRequiredService<VideoJobs>().Queue.PauseAsync(ct);
        var canceled = (await http.CreateVideoAsync("canceled before submit")).GetProperty("id").GetString()!;
        using (var cancel = await http.PostAsync($"/api/videos/{canceled}/cancel"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, cancel.StatusCode);
        }

        var rows = await factory.VideosInDatabaseAsync();
        var paid = rows.Single(v => v.Id == charged.Id);
        Assert.Equal(0.40m, paid.SpentCostUsd);
        Assert.NotNull(paid.SubmittedAt);
        var unpaid = rows.Single(v => v.Id == canceled);
        Assert.Equal((VideoStatus.Canceled, null, null), (unpaid.Status, unpaid.SubmittedAt, unpaid.SpentCostUsd));
    }

    private static async Task<Video> AddQueuedAsync(VideoGenFactory factory, decimal estimate)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = TimeProvider.System.GetUtcNow();
        var video = new Video
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            UserId = LimitsSupport.LocalOwnerId,
            Prompt = "a priced fox",
            Model = "local/preview",
            EstimatedCostUsd = estimate,
            Status = VideoStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Videos.Add(video);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return await db.Videos.AsNoTracking().SingleAsync(v => v.Id == video.Id, TestContext.Current.CancellationToken);
    }
}
