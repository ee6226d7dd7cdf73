using System.Globalization;

namespace VideoGen.Core.Media;

/// <summary>
/// Makes posters, several videos per ffmpeg run when several are waiting. Starting ffmpeg costs
/// more CPU than decoding one frame (a stock Debian build resolves ~215 shared libraries at
/// load, ≈130 ms), so when many results finish at once, the posters that queued up while a run
/// waited for its <see cref="ProcessRunner"/> slot all go into that one run — group commit:
/// nothing waits on purpose, a lone poster runs as soon as a slot is free. A batch that fails,
/// times out or leaves a poster missing is redone one video at a time under the same slot, so
/// one bad file cannot fail another video's poster and every failure carries its own ffmpeg
/// message and its own timeout.
/// </summary>
internal sealed class PosterBatcher(ProcessRunner runner, FfmpegOptions options)
{
    private readonly Lock _gate = new();
    private readonly Queue<PosterJob> _pending = new();
    private readonly int _maxLanes = Math.Max(1, Environment.ProcessorCount);
    private int _lanes;

    /// <summary>Writes a JPEG of the frame at <paramref name="atSeconds"/>; same failures as one ffmpeg run.</summary>
    public async Task MakeAsync(string videoPath, double atSeconds, string posterPath, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var job = new PosterJob(videoPath, atSeconds.ToString("0.###", CultureInfo.InvariantCulture), posterPath, ct);
        bool startLane;
        lock (_gate)
        {
            _pending.Enqueue(job);
            startLane = _lanes < _maxLanes;
            if (startLane)
            {
                _lanes++;
            }
        }
        if (startLane)
        {
            _ = Task.Run(RunLaneAsync, CancellationToken.None);
        }
        await job.Done.Task.WaitAsync(ct);
    }

    /// <summary>Argument list of one ffmpeg run making the posters of <paramref name="jobs"/> (first non-cover-art video stream of each).</summary>
    internal static List<string> Arguments(IReadOnlyList<PosterJob> jobs)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        foreach (var job in jobs)
        {
            // Input seeking, one decoder thread: ingest runs many of these side by side.
            args.AddRange(["-threads", "1", "-ss", job.At, .. MediaInputPolicy.Input(job.VideoPath)]);
        }
        for (var i = 0; i < jobs.Count; i++)
        {
            args.AddRange(["-map", string.Create(CultureInfo.InvariantCulture, $"{i}:V:0"), "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", MediaInputPolicy.FileUrl(jobs[i].PosterPath)]);
        }
        return args;
    }

    private async Task RunLaneAsync()
    {
        while (true)
        {
            // Slot first, batch second: whatever queued while this lane waited joins the run.
            using var slot = await runner.EnterSlotAsync(Path.GetFileName(options.FfmpegPath), CancellationToken.None);
            var batch = new List<PosterJob>();
            lock (_gate)
            {
                while (batch.Count < options.PosterBatchSize && _pending.TryDequeue(out var job))
                {
                    if (job.Caller.IsCancellationRequested)
                    {
                        job.Done.TrySetCanceled(job.Caller);
                    }
                    else
                    {
                        batch.Add(job);
                    }
                }
                if (batch.Count == 0)
                {
                    _lanes--;
                    return;
                }
            }
            try
            {
                IngestMetrics.RecordPosterBatch(batch.Count);
                await RunBatchAsync(batch);
            }
            catch (Exception ex)
            {
                foreach (var job in batch)
                {
                    job.Done.TrySetException(ex);
                }
            }
        }
    }

    private async Task RunBatchAsync(List<PosterJob> batch)
    {
        // The run stops early only when every caller in it has gone away.
        using var allGone = new CancellationTokenSource();
        var live = batch.Count;
        var registrations = batch.Select(j => j.Caller.Register(() =>
        {
            if (Interlocked.Decrement(ref live) == 0)
            {
                allGone.Cancel();
            }
        })).ToList();
        ProcessResult? result = null;
        try
        {
            result = await ProcessRunner.RunInSlotAsync(options.FfmpegPath, Arguments(batch), options.Timeout, allGone.Token);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or TimeoutException) && batch.Count > 1)
        {
            // Canceled: every caller is gone (handled below). Timeout: redone one by one.
        }
        catch (TimeoutException ex)
        {
            batch[0].Done.TrySetException(ex);
        }
        catch (OperationCanceledException)
        {
            // The one caller is gone.
        }
        finally
        {
            foreach (var r in registrations)
            {
                await r.DisposeAsync();
            }
        }

        // Posters of a run that did not exit cleanly are not trusted: those videos are redone alone.
        var clean = result is { ExitCode: 0 };
        foreach (var job in batch)
        {
            if (job.Caller.IsCancellationRequested)
            {
                Abandon(job);
            }
            else if (clean && HasPoster(job))
            {
                job.Done.TrySetResult();
            }
            else if (batch.Count > 1)
            {
                await RunAloneAsync(job);
            }
            else if (result is not null)
            {
                job.Done.TrySetException(new InvalidMediaException($"ffmpeg could not make a poster: {MediaTools.LastLine(result.StandardErrorTail)}"));
            }
        }
    }

    private async Task RunAloneAsync(PosterJob job)
    {
        try
        {
            TryDelete(job.PosterPath);
            var result = await ProcessRunner.RunInSlotAsync(options.FfmpegPath, Arguments([job]), options.Timeout, job.Caller);
            if (result.ExitCode == 0 && HasPoster(job))
            {
                job.Done.TrySetResult();
            }
            else
            {
                job.Done.TrySetException(new InvalidMediaException($"ffmpeg could not make a poster: {MediaTools.LastLine(result.StandardErrorTail)}"));
            }
        }
        catch (OperationCanceledException)
        {
            Abandon(job);
        }
        catch (Exception ex)
        {
            job.Done.TrySetException(ex);
        }
    }

    /// <summary>The caller left (and deleted its temp files): remove what the run wrote after that.</summary>
    private static void Abandon(PosterJob job)
    {
        TryDelete(job.PosterPath);
        job.Done.TrySetCanceled(job.Caller);
    }

    private static bool HasPoster(PosterJob job)
    {
        var info = new FileInfo(job.PosterPath);
        return info.Exists && info.Length > 0;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal sealed record PosterJob(string VideoPath, string At, string PosterPath, CancellationToken Caller)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
