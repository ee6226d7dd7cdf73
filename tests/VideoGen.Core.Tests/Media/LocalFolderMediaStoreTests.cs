using VideoGen.Core.Media;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Media;

public class LocalFolderMediaStoreTests
{
    [Fact]
    public async Task Save_WritesAtomicallyUnderRoot_AndLeavesNoTempFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Path);

        var size = await store.SaveAsync("videos/a.mp4", new MemoryStream([1, 2, 3]), ct);

        Assert.Equal(3, size);
        Assert.True(store.Exists("videos/a.mp4"));
        Assert.Equal(Path.Combine(dir.Path, "videos", "a.mp4"), store.GetPath("videos/a.mp4"));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, ".tmp")));
    }

    [Theory]
    [InlineData("../x.mp4")]
    [InlineData("/etc/passwd")]
    [InlineData("videos/../../x")]
    [InlineData("videos/.hidden")]
    [InlineData("videos//a.mp4")]
    [InlineData("videos/a b.mp4")]
    public void GetPath_UnsafeKey_IsRefused(string key)
    {
        using var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Path);

        Assert.Throws<ArgumentException>(() => store.GetPath(key));
    }

    [Fact]
    public async Task Import_FromOutsideRoot_CopiesThenRemovesSource()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Sub("media"));
        var source = Path.Combine(dir.Sub("other"), "f.bin");
        await File.WriteAllBytesAsync(source, [9, 9], ct);

        Assert.Equal(2, await store.ImportFileAsync("posters/p.jpg", source, ct));
        Assert.False(File.Exists(source));
        Assert.Equal([9, 9], await File.ReadAllBytesAsync(store.GetPath("posters/p.jpg"), ct));
    }

    [Fact]
    public async Task OpenRead_IsSeekable_WithInfoOfTheFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Path);
        await store.SaveAsync("videos/r.mp4", new MemoryStream([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), ct);

        await using var opened = await store.OpenReadAsync("videos/r.mp4", ct);
        opened!.Content.Seek(6, SeekOrigin.Begin);
        var tail = new byte[4];
        await opened.Content.ReadExactlyAsync(tail, ct);

        Assert.Equal([6, 7, 8, 9], tail);
        Assert.Equal(10, opened.Info.Length);
        Assert.Equal(opened.Info, await store.GetInfoAsync("videos/r.mp4", ct));
        Assert.StartsWith("\"", opened.Info.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingKey_HasNoInfo_OpensToNull_DeletesToFalse_AndAFolderHasNoReadUrl()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Path);

        Assert.Null(await store.GetInfoAsync("videos/none.mp4", ct));
        Assert.Null(await store.OpenReadAsync("videos/none.mp4", ct));
        Assert.False(await store.DeleteAsync("videos/none.mp4", ct));
        Assert.Null(await store.GetReadUrlAsync("videos/none.mp4", ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetReadUrlAsync("../x", ct));
    }

    [Fact]
    public async Task Delete_RemovesTheFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var store = new LocalFolderMediaStore(dir.Path);
        await store.SaveAsync("uploads/u.png", new MemoryStream([1]), ct);

        Assert.True(await store.DeleteAsync("uploads/u.png", ct));

        Assert.False(await store.ExistsAsync("uploads/u.png", ct));
    }
}
