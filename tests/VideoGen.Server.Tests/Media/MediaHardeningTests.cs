using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Media;

/// <summary>/media serves only its own folders, never sniffed; uploads must be whole images.</summary>
public sealed class MediaHardeningTests
{
    [Theory]
    [InlineData("/media/videogen.db")]
    [InlineData("/media/queue.db")]
    [InlineData("/media/videogen.db-wal")]
    [InlineData("/media/local-provider/x.mp4")]
    [InlineData("/media/videos/nested/x.mp4")]
    public async Task MediaRootSetToDataDir_DatabaseAndOtherFiles_Are404(string path)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Media:Root"] = factory.DataDir;
        using var http = factory.CreateClient();
        using (var ready = await http.GetAsync("/api/videos"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        Assert.True(File.Exists(Path.Combine(factory.DataDir, "videogen.db")), "the database lives in the media root for this test");
        Directory.CreateDirectory(Path.Combine(factory.DataDir, "local-provider"));
        await File.WriteAllTextAsync(Path.Combine(factory.DataDir, "local-provider", "x.mp4"), "x", TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Path.Combine(factory.DataDir, "videos", "nested"));
        await File.WriteAllTextAsync(Path.Combine(factory.DataDir, "videos", "nested", "x.mp4"), "x", TestContext.Current.CancellationToken);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task MediaResponse_CarriesNosniff()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var media = (LocalFolderMediaStore)factory.Services.GetRequiredService<IMediaStore>();
        await media.SaveAsync("posters/p.jpg", new MemoryStream([1, 2, 3]), TestContext.Current.CancellationToken);

        using var response = await http.GetAsync("/media/posters/p.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("webp")]
    public async Task Upload_ValidHeaderFollowedByNonImageBytes_Is415_AndNothingStored(string kind)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var sample = kind switch { "png" => UploadSamples.Png, "jpg" => UploadSamples.Jpeg, _ => UploadSamples.Webp };
        byte[] forged = [.. sample[..16], .. "<html><script>alert(document.cookie)</script></html>"u8, .. new byte[256]];

        var (status, body) = await UploadSamples.PostAsync(http, UploadSamples.Form(forged, "image/" + kind));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("Not a valid image", body.GetProperty("title").GetString());
        Assert.Empty(await factory.Services.GetRequiredService<IMediaStore>().ListAsync("uploads", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("jpg")]
    [InlineData("webp")]
    public async Task Upload_WholeImageWithScriptAppended_IsStoredWithoutTheAppendedBytes(string kind)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();
        var sample = kind == "jpg" ? UploadSamples.Jpeg : UploadSamples.Webp;
        byte[] polyglot = [.. sample, .. "<html><script>alert(1)</script></html>"u8];

        var (status, body) = await UploadSamples.PostAsync(http, UploadSamples.Form(polyglot, "image/" + kind));

        Assert.Equal(HttpStatusCode.Created, status);
        using var served = await http.GetAsync(body.GetProperty("url").GetString()!);
        var stored = await served.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<script>", stored, StringComparison.Ordinal);
        Assert.Equal(kind == "jpg" ? "image/jpeg" : "image/webp", served.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Upload_BeyondPerMinuteRate_Is429WithRetryAfter()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Uploads:PerMinute"] = "2";
        using var http = factory.CreateClient();

        var first = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        var second = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        using var third = await http.PostAsync("/api/uploads", UploadSamples.Form(UploadSamples.Png, "image/png"), TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, second.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("Too many uploads", (await third.JsonAsync()).GetProperty("title").GetString());
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to try again");
        Assert.Equal(2, (await factory.Services.GetRequiredService<IMediaStore>().ListAsync("uploads", TestContext.Current.CancellationToken)).Count);
    }

    [Theory]
    [InlineData("VideoGen:Uploads:MaxCountPerOwner", "1")]
    [InlineData("VideoGen:Uploads:MaxBytesPerOwner", "100")]
    public async Task Upload_BeyondQuota_Is429_AndNothingStored(string key, string value)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings[key] = value;
        using var http = factory.CreateClient();

        var first = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        var second = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal("Upload quota reached", second.Body.GetProperty("title").GetString());
        Assert.Single(await factory.Services.GetRequiredService<IMediaStore>().ListAsync("uploads", TestContext.Current.CancellationToken));
    }
}
