using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Housekeeping;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Media;

/// <summary>Nothing grows without bound: deleting, sweeping, retention, and refusing new work on a full disk.</summary>
public sealed class HousekeepingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LowDiskSpace_RefusesNewVideosAndUploadsWith503_AndReadyReportsIt()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Disk:MinFreeBytes"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var http = factory.CreateClient();

        using var create = await http.PostJsonAsync("/api/videos", """{"prompt":"a fox"}""");
        var upload = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        using var ready = await http.GetAsync("/health/ready");
        using var live = await http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Equal(RequiresDiskSpace.Title, (await create.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.Status);
        Assert.Equal(RequiresDiskSpace.Title, upload.Body.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty(await factory.VideosInDatabaseAsync());
        Assert.Empty(await factory.Services.GetRequiredService<IMediaStore>().ListAsync("uploads", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EnoughDiskSpace_ReadyIsHealthy()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Disk:MinFreeBytes"] = "1";
        using var http = factory.CreateClient();

        using var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Delete_FinishedVideo_RemovesItsFilesAndRow()
    {
        await using var factory = new VideoGenFactory();
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync()).GetProperty("id").GetString()!;
        await http.WaitForStatusAsync(id, s => s == "succeeded", TimeSpan.FromSeconds(60), "the video to succeed");
        var media = (LocalFolderMediaStore)factory.Services.GetRequiredService<IMediaStore>();
        Assert.True(media.Exists(MediaKeys.Video(id)) && media.Exists(MediaKeys.Poster(id)), "the video has its files");

        using var deleted = await http.DeleteAsync($"/api/videos/{id}", Ct);
        using var after = await http.GetAsync($"/api/videos/{id}");
        using var again = await http.DeleteAsync($"/api/videos/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.False(media.Exists(MediaKeys.Video(id)));
        Assert.False(media.Exists(MediaKeys.Poster(id)));
    }

    [Fact]
    public async Task Delete_UnfinishedVideo_Is409_AndUnknownVideo_Is404()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync()).GetProperty("id").GetString()!;

        using var queued = await http.DeleteAsync($"/api/videos/{id}", Ct);
        using var unknown = await http.DeleteAsync($"/api/videos/{Guid.NewGuid():N}", Ct);

        Assert.Equal(HttpStatusCode.Conflict, queued.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Single(await factory.VideosInDatabaseAsync());
    }

    [Fact]
    public async Task Sweep_DeletesOldUnreferencedUploadsAndLeftoverTempFiles_KeepsReferencedAndRecentOnes()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Uploads:UnreferencedRetention"] = "01:00:00";
        using var http = factory.CreateClient();
        var media = (LocalFolderMediaStore)factory.Services.GetRequiredService<IMediaStore>();
        await factory.Services.GetRequiredService<MediaSweeper>().FirstSweep.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var referenced = await UploadAsync(http);
        var unreferenced = await UploadAsync(http);
        var recent = await UploadAsync(http);
        await InsertFinishedAsync(factory, DateTimeOffset.UnixEpoch.AddDays(20000), imageUrl: "https://videos.example/media/" + referenced);
        var old = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-2);
        File.SetLastWriteTimeUtc(media.GetPath(referenced), old);
        File.SetLastWriteTimeUtc(media.GetPath(unreferenced), old);
        var leftover = media.NewTempPath(".mp4");
        await File.WriteAllTextAsync(leftover, "partial", Ct);
        File.SetLastWriteTimeUtc(leftover, old);
        var inFlight = media.NewTempPath(".mp4");
        await File.WriteAllTextAsync(inFlight, "being written", Ct);

        var result = await factory.Services.GetRequiredService<MediaSweeper>().SweepOnceAsync(Ct);

        Assert.Equal(new MediaSweeper.SweepResult(1, 1, 0), result);
        Assert.True(media.Exists(referenced), "an upload a video uses is kept");
        Assert.False(media.Exists(unreferenced), "an old upload nothing uses is deleted");
        Assert.True(media.Exists(recent), "a recent upload is kept");
        Assert.False(File.Exists(leftover), "a leftover temp file is deleted");
        Assert.True(File.Exists(inFlight), "a temp file being written is kept");
    }

    [Fact]
    public async Task Start_SweepsLeftoverTempFiles()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        var tmp = Directory.CreateDirectory(Path.Combine(factory.DataDir, "media", ".tmp")).FullName;
        var leftover = Path.Combine(tmp, "crashed.mp4");
        await File.WriteAllTextAsync(leftover, "partial", Ct);
        File.SetLastWriteTimeUtc(leftover, TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-1));

        using var http = factory.CreateClient();

        await Eventually.TrueAsync(() => Task.FromResult(!File.Exists(leftover)), "the start-up sweep to delete the leftover temp file");
    }

    [Fact]
    public async Task Retention_DeletesFinishedVideosOlderThanIt_AndNothingByDefault()
    {
        await using var keepForever = new VideoGenFactory { WorkersEnabled = false };
        await using var withRetention = new VideoGenFactory { WorkersEnabled = false };
        withRetention.Settings["VideoGen:Media:VideoRetention"] = "1.00:00:00";
        using var a = keepForever.CreateClient();
        using var b = withRetention.CreateClient();
        await keepForever.Services.GetRequiredService<MediaSweeper>().FirstSweep.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await withRetention.Services.GetRequiredService<MediaSweeper>().FirstSweep.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var now = TimeProvider.System.GetUtcNow();
        var ancient = await InsertFinishedAsync(keepForever, now.AddDays(-400));
        var expired = await InsertFinishedAsync(withRetention, now.AddDays(-2));
        var fresh = await InsertFinishedAsync(withRetention, now.AddHours(-1));
        var media = (LocalFolderMediaStore)withRetention.Services.GetRequiredService<IMediaStore>();

        var kept = await keepForever.Services.GetRequiredService<MediaSweeper>().SweepOnceAsync(Ct);
        var swept = await withRetention.Services.GetRequiredService<MediaSweeper>().SweepOnceAsync(Ct);

        Assert.Equal(0, kept.Videos);
        Assert.Equal([ancient], (await keepForever.VideosInDatabaseAsync()).Select(v => v.Id));
        Assert.Equal(1, swept.Videos);
        Assert.Equal([fresh], (await withRetention.VideosInDatabaseAsync()).Select(v => v.Id));
        Assert.False(media.Exists(MediaKeys.Video(expired)));
        Assert.True(media.Exists(MediaKeys.Video(fresh)));
    }

    private static async Task<string> UploadAsync(HttpClient http)
    {
        var (status, body) = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("url").GetString()!["/media/".Length..];
    }

    private static async Task<string> InsertFinishedAsync(VideoGenFactory factory, DateTimeOffset completedAt, string? userId = null, string? imageUrl = null)
    {
        var id = Guid.NewGuid().ToString("N");
        var media = (LocalFolderMediaStore)factory.Services.GetRequiredService<IMediaStore>();
        await media.SaveAsync(MediaKeys.Video(id), new MemoryStream([1, 2, 3]), Ct);
        await media.SaveAsync(MediaKeys.Poster(id), new MemoryStream([4, 5, 6]), Ct);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Videos.Add(new Video
        {
            Id = id,
            UserId = userId,
            Prompt = "a fox",
            Model = "local/preview",
            ImageUrl = imageUrl,
            Status = VideoStatus.Succeeded,
            ResultPath = MediaKeys.Video(id),
            PosterPath = MediaKeys.Poster(id),
            CreatedAt = completedAt,
            UpdatedAt = completedAt,
            CompletedAt = completedAt,
        });
        await db.SaveChangesAsync(Ct);
        return id;
    }
}
