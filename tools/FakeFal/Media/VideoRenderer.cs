using System.Collections.Concurrent;
using System.Diagnostics;
using FakeFal.Options;
using Microsoft.Extensions.Options;

namespace FakeFal.Media;

/// <summary>
/// Renders real H.264 MP4 clips (ffmpeg <c>testsrc</c>) once per size and keeps them in a cache
/// folder, so results are genuine, playable, ffprobe-able files yet cost nothing after the first.
/// A clip is written to a temporary name and moved into place, so concurrent FakeFal processes
/// sharing the folder never see a half-written file.
/// </summary>
public sealed class VideoRenderer(IOptions<FakeFalOptions> options, ILogger<VideoRenderer> log)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<FileInfo>>> _clips = new();

    public string Directory { get; } = options.Value.Media.Directory
        ?? Path.Combine(Path.GetTempPath(), "fakefal-media");

    public string PathOf(ClipSize size) => Path.Combine(Directory, size.Name + ".mp4");

    public Task<FileInfo> GetAsync(ClipSize size, string ffmpeg)
    {
        var lazy = _clips.GetOrAdd(size.Name, _ => new Lazy<Task<FileInfo>>(() => RenderAsync(size, ffmpeg)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            _clips.TryRemove(new KeyValuePair<string, Lazy<Task<FileInfo>>>(size.Name, lazy));
        }

        return task;
    }

    private async Task<FileInfo> RenderAsync(ClipSize size, string ffmpeg)
    {
        var target = PathOf(size);
        if (File.Exists(target) && new FileInfo(target).Length > 0)
        {
            return new FileInfo(target);
        }

        System.IO.Directory.CreateDirectory(Directory);
        var temp = Path.Combine(Directory, $".{size.Name}.{Guid.NewGuid():N}.mp4");
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "-nostdin", "-v", "error", "-y", "-f", "lavfi",
            "-i", $"testsrc=size={size.Width}x{size.Height}:rate=24:duration={size.Seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", temp,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {ffmpeg}.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ffmpeg did not render {size.Name} within 2 minutes.");
        }

        if (process.ExitCode != 0 || !File.Exists(temp))
        {
            File.Delete(temp);
            throw new InvalidOperationException($"ffmpeg failed to render {size.Name}: {await stderr}");
        }

        File.Move(temp, target, overwrite: true);
        log.LogInformation("Rendered result clip {Clip}", target);
        return new FileInfo(target);
    }
}
