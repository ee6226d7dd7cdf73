using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Providers.Local;

namespace VideoGen.Core.Tests.Support;

/// <summary>Real ffmpeg/ffprobe helpers for tests (these tests need ffmpeg; a missing ffmpeg fails them).</summary>
public static class Tools
{
    public static MediaTools Media { get; } = new(new ProcessRunner(), Options.Create(new FfmpegOptions()));

    public static LocalPreviewProvider LocalProvider(string workDir, TimeSpan? queueDelay = null, TimeSpan? minRender = null, int slots = 1, TimeProvider? time = null) =>
        new(
            Options.Create(new LocalProviderOptions
            {
                WorkDir = workDir,
                QueueDelay = queueDelay ?? TimeSpan.Zero,
                MinRenderTime = minRender ?? TimeSpan.Zero,
                MaxConcurrentRenders = slots,
            }),
            Options.Create(new FfmpegOptions()),
            new ProcessRunner(),
            time ?? TimeProvider.System,
            NullLogger<LocalPreviewProvider>.Instance);

    public static VideoIngestor Ingestor(IMediaStore store, bool allowLoopbackHttp = false, long maxBytes = 64L * 1024 * 1024) =>
        new(
            store,
            Media,
            Options.Create(new IngestOptions { AllowLoopbackHttp = allowLoopbackHttp, MaxBytes = maxBytes, DownloadTimeout = TimeSpan.FromSeconds(20) }),
            NullLogger<VideoIngestor>.Instance);

    /// <summary>Makes a small real H.264 MP4 (testsrc2, 1 s) at <paramref name="path"/>.</summary>
    public static async Task MakeSampleMp4Async(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var r = await new ProcessRunner().RunAsync(
            "ffmpeg",
            ["-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=24:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path],
            TimeSpan.FromSeconds(60),
            ct);
        Assert.True(r.ExitCode == 0, "ffmpeg must be installed to make the sample video: " + r.StandardErrorTail);
    }

    /// <summary>Width and height of an image file (a poster), read by ffprobe without the video-only input policy.</summary>
    public static async Task<(int Width, int Height)> ImageSizeAsync(string path, CancellationToken ct)
    {
        var r = await new ProcessRunner().RunAsync(
            "ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", "--", path],
            TimeSpan.FromSeconds(30),
            ct);
        Assert.True(r.ExitCode == 0, "ffprobe could not read the image: " + r.StandardErrorTail);
        var parts = r.StandardOutput.Trim().Split(',');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
