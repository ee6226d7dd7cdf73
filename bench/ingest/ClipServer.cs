using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace VideoGen.Bench.Ingest;

/// <summary>
/// A real H.264 MP4 (rendered once with the same ffmpeg arguments FakeFal uses) served over
/// Kestrel on 127.0.0.1 as <c>video/mp4</c> — what a provider's result URL looks like to the ingestor.
/// </summary>
internal sealed class ClipServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClipServer(WebApplication app, Uri url, FileInfo clip)
    {
        _app = app;
        Url = url;
        Clip = clip;
    }

    public Uri Url { get; }

    public FileInfo Clip { get; }

    public static async Task<ClipServer> StartAsync(Settings settings, CancellationToken ct)
    {
        var clip = await RenderAsync(settings, ct);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/files/{name}", (string name) => Results.File(clip.FullName, "video/mp4", enableRangeProcessing: true));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClipServer(app, new Uri($"{address}/files/{settings.ClipName}.mp4"), clip);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<FileInfo> RenderAsync(Settings s, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "videogen-ingest-bench");
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, s.ClipName + ".mp4");
        if (File.Exists(target) && new FileInfo(target).Length > 0)
        {
            return new FileInfo(target);
        }
        var temp = Path.Combine(dir, $".{Guid.NewGuid():N}.mp4");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size={s.Width}x{s.Height}:rate=24:duration={s.Seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", temp,
        })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start ffmpeg.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not render the clip: " + await stderr);
        }
        File.Move(temp, target, overwrite: true);
        return new FileInfo(target);
    }
}
