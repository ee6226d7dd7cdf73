using System.Net;
using VideoGen.Core.Media;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Media;

public class VideoIngestorTests
{
    private static async Task<(TempDir Dir, LocalFolderMediaStore Store, string WorkDir, string Sample)> SetupAsync()
    {
        var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Sub("media"));
        var work = dir.Sub("work");
        var sample = Path.Combine(work, "req", "output.mp4");
        await Tools.MakeSampleMp4Async(sample, TestContext.Current.CancellationToken);
        return (dir, store, work, sample);
    }

    [Fact]
    public async Task Ingest_LocalFileFromWorkDir_StoresVideoPosterAndProbe()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, sample) = await SetupAsync();
        using var _ = dir;
        using var ingestor = Tools.Ingestor(store);

        var media = await ingestor.IngestAsync("vid1", new Uri(sample), work, ct);

        Assert.Equal("videos/vid1.mp4", media.VideoKey);
        Assert.Equal("posters/vid1.jpg", media.PosterKey);
        Assert.Equal("h264", media.Probe.VideoCodec);
        Assert.Equal((320, 180), (media.Probe.Width, media.Probe.Height));
        Assert.InRange(media.Probe.DurationSeconds, 0.9, 1.1);
        Assert.Equal(new FileInfo(store.GetPath(media.VideoKey)).Length, media.Probe.SizeBytes);
        var poster = await File.ReadAllBytesAsync(store.GetPath(media.PosterKey), ct);
        Assert.Equal([0xFF, 0xD8], poster[..2]); // JPEG magic
        Assert.True(File.Exists(sample), "the provider's own output is copied, not moved");
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Root, ".tmp")));
    }

    [Fact]
    public async Task Ingest_LocalFileOutsideWorkDir_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, sample) = await SetupAsync();
        using var _ = dir;
        var elsewhere = Path.Combine(dir.Sub("elsewhere"), "x.mp4");
        File.Copy(sample, elsewhere);
        using var ingestor = Tools.Ingestor(store);

        var outside = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", new Uri(elsewhere), work, ct));
        var traversal = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", new Uri("file://" + work + "/../elsewhere/x.mp4"), work, ct));
        var passwd = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", new Uri("file:///etc/passwd"), work, ct));

        Assert.All([outside, traversal, passwd], e => Assert.Equal("ingest_refused", e.ErrorType));
        Assert.All([outside, traversal, passwd], e => Assert.False(e.IsTransient));
    }

    [Fact]
    public async Task Ingest_LocalSymlinkOutOfWorkDir_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        var link = Path.Combine(work, "req", "link.mp4");
        File.CreateSymbolicLink(link, "/etc/passwd");
        using var ingestor = Tools.Ingestor(store);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", new Uri(link), work, ct));
        Assert.Equal("ingest_refused", ex.ErrorType);
    }

    [Fact]
    public async Task Ingest_PlainHttp_IsRefusedWithoutLoopbackOption()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, sample) = await SetupAsync();
        using var _ = dir;
        await using var server = new TestHttpServer(async c => await c.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(sample, ct), ct));
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: false);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", server.Url("/v.mp4"), ct));

        Assert.Equal("ingest_refused", ex.ErrorType);
        Assert.Equal(0, server.Requests);
    }

    [Theory]
    [InlineData("https://10.0.0.1/video.mp4")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://192.168.1.10/v.mp4")]
    [InlineData("https://[fd00::1]/v.mp4")]
    [InlineData("https://[::ffff:10.0.0.1]/v.mp4")]
    [InlineData("https://100.64.0.1/v.mp4")]
    public async Task Ingest_PrivateOrLinkLocalAddress_IsRefusedBeforeConnecting(string url)
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", new Uri(url), ct));

        Assert.Equal("ingest_refused", ex.ErrorType);
        Assert.Contains("not a public address", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("The result is at a location this server does not download from.", ex.Message);
    }

    [Fact]
    public async Task Ingest_HostnameResolvingToLoopback_IsRefusedAfterDns_WhenLoopbackNotAllowed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        // Something listens there, so only the post-DNS address check can stop the request.
        await using var server = new TestHttpServer(c => Task.CompletedTask);
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: false);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", new Uri($"https://localhost:{server.Port}/v.mp4"), ct));

        Assert.Equal("ingest_refused", ex.ErrorType);
        Assert.Contains("resolves to", ex.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Ingest_LoopbackHttpWhenAllowed_DownloadsAndProbes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, sample) = await SetupAsync();
        using var _ = dir;
        var bytes = await File.ReadAllBytesAsync(sample, ct);
        await using var server = new TestHttpServer(async c =>
        {
            c.Response.ContentType = "video/mp4";
            await c.Response.OutputStream.WriteAsync(bytes, ct);
        });
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true);

        var media = await ingestor.IngestAsync("dl", server.Url("/v.mp4"), ct);

        Assert.Equal(bytes.Length, media.Probe.SizeBytes);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.GetPath(media.VideoKey), ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ingest_BodyOverCap_IsRefused(bool declareLength)
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        var chunk = new byte[64 * 1024];
        await using var server = new TestHttpServer(async c =>
        {
            c.Response.ContentType = "video/mp4";
            if (declareLength)
            {
                c.Response.ContentLength64 = 10L * 1024 * 1024;
            }
            else
            {
                c.Response.SendChunked = true;
            }
            for (var i = 0; i < 160; i++)
            {
                await c.Response.OutputStream.WriteAsync(chunk, ct);
            }
        });
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true, maxBytes: 1024 * 1024);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("big", server.Url("/big.mp4"), ct));

        Assert.Equal("ingest_too_large", ex.ErrorType);
        Assert.False(store.Exists("videos/big.mp4"));
    }

    [Fact]
    public async Task Ingest_HtmlContentType_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        await using var server = new TestHttpServer(async c =>
        {
            c.Response.ContentType = "text/html";
            await c.Response.OutputStream.WriteAsync("<html>expired</html>"u8.ToArray(), ct);
        });
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", server.Url("/v.mp4"), ct));

        Assert.Equal("ingest_not_video", ex.ErrorType);
    }

    [Fact]
    public async Task Ingest_VideoContentTypeButNotAVideo_FailsTheProbe()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        await using var server = new TestHttpServer(async c =>
        {
            c.Response.ContentType = "video/mp4";
            await c.Response.OutputStream.WriteAsync(new byte[4096], ct);
        });
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", server.Url("/v.mp4"), ct));

        Assert.Equal("ingest_not_video", ex.ErrorType);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task Ingest_ServerError_IsTransient_NotFound_IsPermanent()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        await using var server = new TestHttpServer(c =>
        {
            c.Response.StatusCode = c.Request.Url!.AbsolutePath == "/gone" ? 404 : 503;
            return Task.CompletedTask;
        });
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true);

        var unavailable = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", server.Url("/busy"), ct));
        var gone = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", server.Url("/gone"), ct));

        Assert.True(unavailable.IsTransient);
        Assert.False(gone.IsTransient);
    }

    [Fact]
    public async Task Ingest_RedirectToPrivateAddress_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, store, work, _) = await SetupAsync();
        using var d = dir;
        await using var server = new TestHttpServer(c =>
        {
            c.Response.StatusCode = 302;
            c.Response.RedirectLocation = "http://169.254.169.254/latest/meta-data/";
            return Task.CompletedTask;
        });
        using var ingestor = Tools.Ingestor(store, allowLoopbackHttp: true);

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("v", server.Url("/v.mp4"), ct));

        Assert.Equal("ingest_refused", ex.ErrorType);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("fe80::1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    public void AddressPolicy_AllowsOnlyPublicUnicast(string ip, bool allowed)
    {
        Assert.Equal(allowed, OutboundAddressPolicy.IsAllowed(IPAddress.Parse(ip), allowLoopback: false));
    }
}
