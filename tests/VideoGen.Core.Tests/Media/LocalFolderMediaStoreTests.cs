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
}
