using VideoGen.Core.Media;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Media;

/// <summary>The S3 media store against a real S3-compatible server (s3rver): the <see cref="IMediaStore"/> promises.</summary>
public sealed class S3MediaStoreTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly TempDir temp = new("vg-s3-store");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Bytes(int size) => [.. Enumerable.Range(0, size).Select(i => (byte)(i % 251))];

    [Fact]
    public async Task SaveThenOpen_ReadsTheSameBytes_WithInfo()
    {
        var store = s3.Store(temp.Path);
        var bytes = Bytes(100_000);

        var size = await store.SaveAsync("videos/save-open.mp4", new MemoryStream(bytes), Ct);

        Assert.Equal(100_000, size);
        await using var opened = await store.OpenReadAsync("videos/save-open.mp4", Ct);
        Assert.NotNull(opened);
        Assert.Equal(100_000, opened.Info.Length);
        Assert.StartsWith("\"", opened.Info.ETag, StringComparison.Ordinal);
        var read = new MemoryStream();
        await opened.Content.CopyToAsync(read, Ct);
        Assert.Equal(bytes, read.ToArray());
    }

    [Fact]
    public async Task OpenRead_SeekThenRead_ReturnsThatRangeOnly()
    {
        var store = s3.Store(temp.Path);
        var bytes = Bytes(50_000);
        await store.SaveAsync("videos/seek.mp4", new MemoryStream(bytes), Ct);

        await using var opened = await store.OpenReadAsync("videos/seek.mp4", Ct);
        opened!.Content.Seek(40_000, SeekOrigin.Begin);
        var part = new byte[1000];
        await opened.Content.ReadExactlyAsync(part, Ct);
        opened.Content.Seek(10, SeekOrigin.Begin);
        var early = new byte[10];
        await opened.Content.ReadExactlyAsync(early, Ct);

        Assert.Equal(bytes[40_000..41_000], part);
        Assert.Equal(bytes[10..20], early);
        Assert.Equal(20, opened.Content.Position);
    }

    [Fact]
    public async Task SaveAsync_UnseekableStream_IsSpooledAndStored_AndNoTempFileStays()
    {
        var store = s3.Store(temp.Path);
        var bytes = Bytes(70_000);

        var size = await store.SaveAsync("uploads/unseekable.png", new UnseekableStream(bytes), Ct);

        Assert.Equal(70_000, size);
        Assert.Equal(70_000, (await store.GetInfoAsync("uploads/unseekable.png", Ct))?.Length);
        Assert.Empty(Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ImportFile_UploadsAndRemovesTheLocalFile()
    {
        var store = s3.Store(temp.Path);
        var local = store.NewTempPath(".jpg");
        await File.WriteAllBytesAsync(local, Bytes(3000), Ct);

        var size = await store.ImportFileAsync("posters/import.jpg", local, Ct);

        Assert.Equal(3000, size);
        Assert.False(File.Exists(local));
        Assert.StartsWith(temp.Path, local, StringComparison.Ordinal);
        Assert.True(await store.ExistsAsync("posters/import.jpg", Ct));
    }

    [Fact]
    public async Task MissingKey_HasNoInfo_OpensToNull_DeletesToFalse()
    {
        var store = s3.Store(temp.Path);

        Assert.Null(await store.GetInfoAsync("videos/never.mp4", Ct));
        Assert.Null(await store.OpenReadAsync("videos/never.mp4", Ct));
        Assert.False(await store.DeleteAsync("videos/never.mp4", Ct));
    }

    [Fact]
    public async Task Delete_RemovesTheObject()
    {
        var store = s3.Store(temp.Path);
        await store.SaveAsync("uploads/delete-me.png", new MemoryStream(Bytes(10)), Ct);

        Assert.True(await store.DeleteAsync("uploads/delete-me.png", Ct));

        Assert.False(await store.ExistsAsync("uploads/delete-me.png", Ct));
    }

    [Fact]
    public async Task List_NamesTheObjectsDirectlyInTheFolder_UnderItsOwnPrefixOnly()
    {
        var prefix = "list-" + Guid.NewGuid().ToString("N")[..8] + "/";
        var store = s3.Store(temp.Path, prefix: prefix);
        var other = s3.Store(temp.Path, prefix: "other-" + prefix);
        await store.SaveAsync("uploads/a.png", new MemoryStream(Bytes(10)), Ct);
        await store.SaveAsync("uploads/b.png", new MemoryStream(Bytes(20)), Ct);
        await store.SaveAsync("videos/c.mp4", new MemoryStream(Bytes(30)), Ct);
        await other.SaveAsync("uploads/d.png", new MemoryStream(Bytes(40)), Ct);

        var listed = await store.ListAsync("uploads", Ct);

        Assert.Equal(["uploads/a.png:10", "uploads/b.png:20"], listed.Select(m => $"{m.Key}:{m.SizeBytes}").Order(StringComparer.Ordinal));
        Assert.All(listed, m => Assert.True(m.LastWrite > DateTimeOffset.UnixEpoch, "an S3 object has a last-modified time"));
        Assert.Empty(await store.ListAsync("posters", Ct));
    }

    [Fact]
    public async Task SweepTemp_RemovesOnlyOldLocalTempFiles()
    {
        var store = s3.Store(temp.Path);
        var old = store.NewTempPath(".mp4");
        var fresh = store.NewTempPath(".mp4");
        await File.WriteAllBytesAsync(old, Bytes(5), Ct);
        await File.WriteAllBytesAsync(fresh, Bytes(5), Ct);
        File.SetLastWriteTimeUtc(old, DateTime.UnixEpoch.AddDays(20000));

        var removed = store.SweepTemp(new DateTimeOffset(DateTime.UnixEpoch.AddDays(20001), TimeSpan.Zero));

        Assert.Equal(1, removed);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task Prefix_KeepsObjectsUnderIt_AndStoresApart()
    {
        var a = s3.Store(temp.Path, prefix: "install-a/");
        var b = s3.Store(temp.Path, prefix: "install-b/");
        await a.SaveAsync("videos/same.mp4", new MemoryStream(Bytes(5)), Ct);

        Assert.True(await a.ExistsAsync("videos/same.mp4", Ct));
        Assert.False(await b.ExistsAsync("videos/same.mp4", Ct));
        using var client = s3.Client();
        var head = await client.GetObjectMetadataAsync(S3rverServer.Bucket, "install-a/videos/same.mp4", Ct);
        Assert.Equal(5, head.ContentLength);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/videos/a.mp4")]
    [InlineData("videos/.hidden")]
    public async Task UnsafeKey_IsRefused(string key)
    {
        var store = s3.Store(temp.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetInfoAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetReadUrlAsync(key, Ct));
    }

    [Fact]
    public async Task ReadUrl_IsAPresignedGet_ThatServesRanges_AndStreamModeHasNone()
    {
        var store = s3.Store(temp.Path);
        var bytes = Bytes(20_000);
        await store.SaveAsync("videos/presigned.mp4", new MemoryStream(bytes), Ct);

        var url = await store.GetReadUrlAsync("videos/presigned.mp4", Ct);

        Assert.NotNull(url);
        Assert.StartsWith(new Uri(s3.Server.Endpoint, S3rverServer.Bucket + "/videos/presigned.mp4").AbsoluteUri, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes[1000..2000], await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Null(await s3.Store(temp.Path, serve: "stream").GetReadUrlAsync("videos/presigned.mp4", Ct));
    }

    public void Dispose() => temp.Dispose();

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
