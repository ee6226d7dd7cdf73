using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Providers.Local;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Media;

/// <summary>ffmpeg and ffprobe see no server secret and open nothing but the one local video file they are given.</summary>
public sealed class MediaToolSafetyTests
{
    [Fact]
    public async Task ChildProcess_StartsWithCleanEnvironment_SeesNoServerVariable()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = $"VIDEOGEN_TEST_SECRET_{Guid.NewGuid():N}";
        var marker = $"marker-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, marker);
        try
        {
            // The same runner that starts ffmpeg and ffprobe, starting a program that prints its whole environment.
            var result = await new ProcessRunner().RunAsync("env", [], TimeSpan.FromSeconds(20), ct);

            Assert.Equal(0, result.ExitCode);
            var names = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0]).Order().ToList();
            Assert.DoesNotContain(marker, result.StandardOutput, StringComparison.Ordinal);
            Assert.All(names, n => Assert.Contains(n, (string[])["PATH", "TMPDIR", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "LANG"]));
            Assert.Contains("LANG", names);
            Assert.Contains("PATH", names);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task ChildProcess_RealFfmpeg_StillRunsWithTheCleanEnvironment()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var sample = Path.Combine(dir.Path, "v.mp4");
        await Tools.MakeSampleMp4Async(sample, ct);

        var probe = await Tools.Media.ProbeAsync(sample, ct);

        Assert.Equal("h264", probe.VideoCodec);
    }

    [Fact]
    public async Task Ingest_HlsPlaylistNamedMp4_IsRefused_AndNothingItReferencesIsRead()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var secretContent = $"SECRET-{Guid.NewGuid():N}";
        var secret = Path.Combine(dir.Sub("private"), "secret.ts");
        await File.WriteAllTextAsync(secret, secretContent, ct);
        await using var listener = new TestHttpServer(async c => await c.Response.OutputStream.WriteAsync("not a segment"u8.ToArray(), ct));
        var work = dir.Sub("work");
        var playlist = Path.Combine(work, "req", "output.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(playlist)!);
        await File.WriteAllTextAsync(
            playlist,
            $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://{secret}\n#EXTINF:1,\n{listener.Url("/seg1.ts")}\n#EXT-X-ENDLIST\n",
            ct);
        // Control: without the guard, ffprobe does treat the file as a playlist and follows it to the local file.
        var unguarded = await new ProcessRunner().RunAsync("ffprobe", ["-v", "error", "--", playlist], TimeSpan.FromSeconds(30), ct);
        Assert.Contains("secret.ts", unguarded.StandardErrorTail, StringComparison.Ordinal);
        var store = new LocalFolderMediaStore(dir.Sub("media"));
        var log = new ListLogger<VideoIngestor>();
        using var ingestor = new VideoIngestor(
            store,
            Tools.Media,
            Options.Create(new IngestOptions { AllowLoopbackHttp = true }),
            log);
        var requestsBefore = listener.Requests;

        var ex = await Assert.ThrowsAsync<IngestException>(() => ingestor.IngestAsync("hls1", new Uri(playlist), work, ct));

        Assert.Equal(IngestErrorTypes.NotVideo, ex.ErrorType);
        Assert.False(ex.IsTransient);
        Assert.Equal("The result is not a playable video in an accepted format (MP4, MOV, WebM, Matroska).", ex.Message);
        Assert.Equal(requestsBefore, listener.Requests);
        Assert.DoesNotContain("secret.ts", ex.ToString(), StringComparison.Ordinal);
        Assert.All(log.Lines, l => Assert.DoesNotContain(secretContent, l, StringComparison.Ordinal));
        Assert.All(log.Lines, l => Assert.DoesNotContain("secret.ts", l, StringComparison.Ordinal));
        Assert.False(store.Exists(MediaKeys.Video("hls1")));
        Assert.False(store.Exists(MediaKeys.Poster("hls1")));
        Assert.Empty(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", true)]
    [InlineData("matroska,webm", true)]
    [InlineData("hls", false)]
    [InlineData("concat", false)]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2,hls", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void AllowedFormat_OnlyVideoContainers(string? formatName, bool allowed) =>
        Assert.Equal(allowed, MediaInputPolicy.IsAllowedFormat(formatName));
}
