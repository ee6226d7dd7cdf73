using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace VideoGen.Core.Providers.Local;

public sealed partial class LocalPreviewProvider
{
    /// <summary>Starts (or finds) the in-memory render for a request; null when it is already terminal. Call under <see cref="_gate"/>.</summary>
    private RenderJob? StartIfNeeded(LocalRequestFiles files, LocalRequestRecord record, bool resumed)
    {
        if (_jobs.TryGetValue(files.RequestId, out var existing))
        {
            return existing;
        }
        if (TerminalFromDisk(files) is not null)
        {
            return null;
        }
        var job = new RenderJob(files, record, Interlocked.Increment(ref _sequence), _disposed.Token);
        job.AddLog(resumed ? "Resumed after a restart; queued again." : "Queued on the local preview renderer (not an AI model).");
        _jobs[files.RequestId] = job;
        _ = Task.Run(() => RunJobAsync(job));
        return job;
    }

    private ProviderStatus Snapshot(RenderJob job)
    {
        var phase = job.Phase;
        int? position = null;
        if (phase == ProviderPhase.InQueue)
        {
            position = _jobs.Values.Count(j => j.Phase == ProviderPhase.InQueue && j.Sequence < job.Sequence);
        }
        return new ProviderStatus(
            phase,
            QueuePosition: position,
            Progress: phase == ProviderPhase.InQueue ? null : job.Progress,
            Logs: job.LogsSnapshot(),
            Error: job.Error,
            ErrorType: job.ErrorType);
    }

    private async Task RunJobAsync(RenderJob job)
    {
        var ct = job.Token;
        try
        {
            if (_options.QueueDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.QueueDelay, _time, ct);
            }
            await _slots.WaitAsync(ct);
            try
            {
                job.Phase = ProviderPhase.InProgress;
                job.Progress = 0;
                Signal(job);
                var partial = job.Files.NewPartialOutput();
                await RenderAsync(job, partial, ct);
                File.Move(partial, job.Files.Output, overwrite: true);
                job.Files.WriteDone();
                job.Progress = 1;
                job.AddLog("Done.");
                job.Phase = ProviderPhase.Completed;
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (job.Files.IsCanceled)
            {
                job.Error = "Canceled by request.";
                job.ErrorType = "canceled";
                job.Phase = ProviderPhase.Failed;
            }
            // Otherwise the process is shutting down: leave the request unmarked so a restart resumes it.
        }
        catch (Exception ex)
        {
            var message = ex is TimeoutException or RenderFailedException or FileNotFoundException ? ex.Message : "The render failed unexpectedly.";
            _logger.LogWarning(ex, "Local render {RequestId} failed", job.Files.RequestId);
            try
            {
                job.Files.WriteFailure(message);
            }
            catch (IOException io)
            {
                _logger.LogWarning(io, "Could not record the failure of {RequestId}", job.Files.RequestId);
            }
            job.Error = message;
            job.ErrorType = "render_failed";
            job.Phase = ProviderPhase.Failed;
        }
        finally
        {
            lock (_gate)
            {
                _jobs.TryRemove(new KeyValuePair<string, RenderJob>(job.Files.RequestId, job));
            }
            Signal(job);
            job.Dispose();
        }
    }

    private async Task RenderAsync(RenderJob job, string outputPath, CancellationToken ct)
    {
        var r = job.Record;
        var scene = LocalScene.Create(r.Prompt, r.Seed, r.DurationSeconds, r.AspectRatio, drawText: true, _options.FontPath);
        await File.WriteAllTextAsync(job.Files.PromptFile, LocalScene.WrapPrompt(r.Prompt, scene.Width), ct);
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        if (_options.MinRenderTime > TimeSpan.Zero)
        {
            // Pace input reading so the render takes about MinRenderTime, like a slower remote model.
            var rate = r.DurationSeconds / _options.MinRenderTime.TotalSeconds;
            args.AddRange(["-readrate", Math.Max(0.01, rate).ToString("0.###", inv)]);
        }
        args.AddRange([
            "-f", "lavfi", "-i", scene.Filter,
            "-t", r.DurationSeconds.ToString(inv), "-r", scene.Fps.ToString(inv),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", (scene.Fps * 2).ToString(inv),
            "-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
            "-movflags", "+faststart", "-an", "-progress", "pipe:1", "-nostats", "-f", "mp4", Path.GetFileName(outputPath),
        ]);

        var totalFrames = r.DurationSeconds * scene.Fps;
        var totalUs = r.DurationSeconds * 1_000_000.0;
        job.AddLog(string.Create(inv, $"Rendering {r.DurationSeconds} s at {scene.Width}x{scene.Height}, {scene.Fps} fps ({totalFrames} frames)."));
        var frame = 0L;
        var clock = Stopwatch.StartNew();
        var result = await _runner.RunAsync(
            _ffmpeg.FfmpegPath,
            args,
            _options.RenderTimeout + _options.MinRenderTime,
            ct,
            onStdoutLine: line =>
            {
                if (line.StartsWith("out_time_us=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(12), NumberStyles.Integer, inv, out var us) && us >= 0)
                {
                    job.Progress = Math.Clamp(us / totalUs, 0, 0.99);
                }
                else if (line.StartsWith("frame=", StringComparison.Ordinal))
                {
                    _ = long.TryParse(line.AsSpan(6), NumberStyles.Integer, inv, out frame);
                }
                else if (line == "progress=continue" && frame > 0)
                {
                    job.AddLog(string.Create(inv, $"frame {frame}/{totalFrames} ({job.Progress:P0})"));
                }
            },
            // ffmpeg's own output names files and paths: it goes to the server log, never to the video's public logs.
            onStderrLine: line => _logger.LogDebug("Local render {RequestId} ffmpeg: {Line}", job.Files.RequestId, line),
            workingDirectory: job.Files.Dir);
        if (result.ExitCode != 0)
        {
            var last = result.StandardErrorTail.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no output";
            throw new RenderFailedException($"ffmpeg exited with code {result.ExitCode}: {last}");
        }
        job.AddLog(string.Create(inv, $"Encoded in {clock.Elapsed.TotalSeconds:0.0} s."));
    }

    private void Signal(RenderJob job)
    {
        if (_signals is null)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await _signals.SignalAsync(job.Files.RequestId, CancellationToken.None);
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Signal for {RequestId} failed (polling covers it)", job.Files.RequestId);
            }
        });
    }

    private sealed class RenderFailedException(string message) : Exception(message);

    /// <summary>The in-memory side of one request while it waits or renders.</summary>
    private sealed class RenderJob(LocalRequestFiles files, LocalRequestRecord record, long sequence, CancellationToken shutdown) : IDisposable
    {
        private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        private readonly Queue<string> _logs = new();
        private volatile ProviderPhase _phase = ProviderPhase.InQueue;
        private double _progress;

        public LocalRequestFiles Files { get; } = files;
        public LocalRequestRecord Record { get; } = record;
        public long Sequence { get; } = sequence;
        public CancellationToken Token => _cts.Token;

        public ProviderPhase Phase { get => _phase; set => _phase = value; }
        public double Progress { get => Volatile.Read(ref _progress); set => Volatile.Write(ref _progress, value); }
        public string? Error { get; set; }
        public string? ErrorType { get; set; }

        public void AddLog(string line)
        {
            lock (_logs)
            {
                _logs.Enqueue(line.Length > 300 ? line[..300] : line);
                while (_logs.Count > MaxLogLines)
                {
                    _logs.Dequeue();
                }
            }
        }

        public IReadOnlyList<string> LogsSnapshot()
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }

        public void Cancel()
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose() => _cts.Dispose();
    }
}
