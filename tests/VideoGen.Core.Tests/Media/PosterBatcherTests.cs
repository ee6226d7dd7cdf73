using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Media;

/// <summary>Posters of videos ingested together share ffmpeg runs without mixing up or failing each other.</summary>
public class PosterBatcherTests
{
    [Fact]
    public async Task Posters_QueuedTogether_ShareOneFfmpegRun_AndEachShowsItsOwnVideo()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var small = await MakeMp4Async(dir, "small.mp4", "160x90", ct);
        var large = await MakeMp4Async(dir, "large.mp4", "320x180", ct);
        var (runner, tools, runs) = CountingTools(dir);
        var posters = Enumerable.Range(0, 8).Select(i => Path.Combine(dir.Path, $"p{i}.jpg")).ToArray();

        Task[] made;
        using (await runner.EnterSlotAsync("test", ct))
        {
            // The only process slot is taken: all eight queue up behind it.
            made = posters.Select((p, i) => tools.MakePosterAsync(i % 2 == 0 ? small : large, 2, p, ct)).ToArray();
        }
        await Task.WhenAll(made).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal(1, runs());
        for (var i = 0; i < posters.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? (160, 90) : (320, 180), await Tools.ImageSizeAsync(posters[i], ct));
        }
    }

    [Fact]
    public async Task Batch_WithOneUnreadableVideo_RedoesTheOthersAlone_AndFailsOnlyThatOne()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var good = await MakeMp4Async(dir, "good.mp4", "160x90", ct);
        var bad = Path.Combine(dir.Path, "bad.mp4");
        await File.WriteAllBytesAsync(bad, new byte[4096], ct);
        var (runner, tools, runs) = CountingTools(dir);

        Task[] made;
        using (await runner.EnterSlotAsync("test", ct))
        {
            made =
            [
                tools.MakePosterAsync(good, 2, Path.Combine(dir.Path, "g0.jpg"), ct),
                tools.MakePosterAsync(bad, 2, Path.Combine(dir.Path, "bad.jpg"), ct),
                tools.MakePosterAsync(good, 2, Path.Combine(dir.Path, "g1.jpg"), ct),
            ];
        }
        var failure = await Assert.ThrowsAsync<InvalidMediaException>(() => made[1].WaitAsync(TimeSpan.FromSeconds(60), ct));
        await Task.WhenAll(made[0], made[2]).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.StartsWith("ffmpeg could not make a poster: ", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, runs()); // the failed batch, then each of the three alone
        Assert.True(new FileInfo(Path.Combine(dir.Path, "g0.jpg")).Length > 0, "g0.jpg was made");
        Assert.True(new FileInfo(Path.Combine(dir.Path, "g1.jpg")).Length > 0, "g1.jpg was made");
        Assert.False(File.Exists(Path.Combine(dir.Path, "bad.jpg")));
    }

    [Fact]
    public async Task Poster_CallerCanceledWhileQueued_IsSkipped_AndLaterPostersStillRun()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var video = await MakeMp4Async(dir, "v.mp4", "160x90", ct);
        var (runner, tools, runs) = CountingTools(dir);
        var canceledPoster = Path.Combine(dir.Path, "canceled.jpg");
        var laterPoster = Path.Combine(dir.Path, "later.jpg");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task canceled;
        Task later;
        using (await runner.EnterSlotAsync("test", ct))
        {
            canceled = tools.MakePosterAsync(video, 2, canceledPoster, cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
            later = tools.MakePosterAsync(video, 2, laterPoster, ct);
        }
        await later.WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal(1, runs());
        Assert.True(new FileInfo(laterPoster).Length > 0, "the later poster was made");
        Assert.False(File.Exists(canceledPoster));
    }

    [Fact]
    public void Arguments_SeekBeforeEachGuardedInput_OneFrameOfTheFirstNonCoverVideoStreamPerOutput()
    {
        var jobs = new[]
        {
            new PosterBatcher.PosterJob("/m/a.mp4", "1", "/m/a.jpg", CancellationToken.None),
            new PosterBatcher.PosterJob("/m/b.mp4", "0.5", "/m/b.jpg", CancellationToken.None),
        };

        var args = PosterBatcher.Arguments(jobs);

        Assert.Equal(
            [
                "-hide_banner", "-nostdin", "-y", "-v", "error",
                "-threads", "1", "-ss", "1", "-protocol_whitelist", "file", "-format_whitelist", "mov,mp4,matroska,webm", "-i", "file:/m/a.mp4",
                "-threads", "1", "-ss", "0.5", "-protocol_whitelist", "file", "-format_whitelist", "mov,mp4,matroska,webm", "-i", "file:/m/b.mp4",
                "-map", "0:V:0", "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", "file:/m/a.jpg",
                "-map", "1:V:0", "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", "file:/m/b.jpg",
            ],
            args);
    }

    [Fact]
    public async Task Ingest_WithOneCheckAtATime_ChecksOfDifferentVideosNeverOverlap()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var work = dir.Sub("work");
        var video = await MakeMp4Async(dir, "work/v.mp4", "160x90", ct);
        var log = Path.Combine(dir.Path, "tools.log");
        var ffmpeg = Wrapper(dir, "ffmpeg", $"echo start >> '{log}'; ffmpeg \"$@\"; rc=$?; echo end >> '{log}'; exit $rc");
        var ffprobe = Wrapper(dir, "ffprobe", $"echo start >> '{log}'; ffprobe \"$@\"; rc=$?; echo end >> '{log}'; exit $rc");
        var tools = new MediaTools(new ProcessRunner(8), Options.Create(new FfmpegOptions { FfmpegPath = ffmpeg, FfprobePath = ffprobe }));
        using var ingestor = new VideoIngestor(
            new LocalFolderMediaStore(dir.Sub("media")),
            tools,
            Options.Create(new IngestOptions { MaxConcurrentChecks = 1 }),
            NullLogger<VideoIngestor>.Instance);

        var media = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ingestor.IngestAsync($"v{i}", new Uri(video), work, ct)))
            .WaitAsync(TimeSpan.FromSeconds(120), ct);

        Assert.Equal(4, media.Length);
        var lines = await File.ReadAllLinesAsync(log, ct);
        Assert.Equal(Enumerable.Repeat(new[] { "start", "end" }, 8).SelectMany(x => x), lines);
    }

    private static (ProcessRunner Runner, MediaTools Tools, Func<int> Runs) CountingTools(TempDir dir)
    {
        var count = Path.Combine(dir.Path, "ffmpeg-runs.log");
        var ffmpeg = Wrapper(dir, "ffmpeg", $"echo run >> '{count}'; exec ffmpeg \"$@\"");
        var runner = new ProcessRunner(1);
        var tools = new MediaTools(runner, Options.Create(new FfmpegOptions { FfmpegPath = ffmpeg }));
        return (runner, tools, () => File.Exists(count) ? File.ReadAllLines(count).Length : 0);
    }

    private static string Wrapper(TempDir dir, string name, string body)
    {
        var path = Path.Combine(dir.Sub("bin"), name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static async Task<string> MakeMp4Async(TempDir dir, string name, string size, CancellationToken ct)
    {
        var path = Path.Combine(dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var r = await new ProcessRunner().RunAsync(
            "ffmpeg",
            ["-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", $"testsrc2=s={size}:r=24:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path],
            TimeSpan.FromSeconds(60),
            ct);
        Assert.True(r.ExitCode == 0, "ffmpeg must be installed to make the sample video: " + r.StandardErrorTail);
        return path;
    }
}
