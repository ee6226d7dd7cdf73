using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoGen.Core.Media;

/// <summary>
/// Stores our own copy of a provider's result (provider URLs expire) and checks it is a real
/// video: file: results only from below the folder their producer vouches for; https downloads streamed
/// with a size cap and timeout, to public addresses only (checked after DNS), with a video-ish
/// content type; then ffprobe must find a video stream, and a poster JPEG is made. Re-running
/// for the same video overwrites the same keys, so the step is idempotent.
/// </summary>
public sealed partial class VideoIngestor : IDisposable
{
    private static readonly string[] AcceptedContentTypes = ["application/octet-stream", "binary/octet-stream", "application/mp4"];

    private readonly IMediaStore _store;
    private readonly MediaTools _tools;
    private readonly IngestOptions _options;
    private readonly ILogger<VideoIngestor> _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _checks;

    public VideoIngestor(IMediaStore store, MediaTools tools, IOptions<IngestOptions> options, ILogger<VideoIngestor> logger)
    {
        _store = store;
        _tools = tools;
        _options = options.Value;
        _logger = logger;
        _checks = new SemaphoreSlim(_options.MaxConcurrentChecks, _options.MaxConcurrentChecks);
        _http = new HttpClient(GuardedHttpHandler.Create(_options.AllowLoopbackHttp)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("VideoGen-Ingest/1.0");
    }

    /// <summary>Ingests a result to download (a <c>file:</c> URL is refused).</summary>
    public Task<IngestedMedia> IngestAsync(string videoId, Uri resultUrl, CancellationToken ct) =>
        IngestAsync(videoId, resultUrl, localResultsFolder: null, ct);

    /// <summary>
    /// Ingests <paramref name="resultUrl"/> as the video's media. A <c>file:</c> URL is copied only from below
    /// <paramref name="localResultsFolder"/>, the folder its producer writes its results to (e.g. a provider's
    /// <c>LocalResultsFolder</c>), and never through a symbolic link; without that folder it is refused.
    /// </summary>
    public async Task<IngestedMedia> IngestAsync(string videoId, Uri resultUrl, string? localResultsFolder, CancellationToken ct)
    {
        var videoKey = MediaKeys.Video(videoId);
        var posterKey = MediaKeys.Poster(videoId);
        var videoTemp = _store.NewTempPath(".mp4");
        var posterTemp = _store.NewTempPath(".jpg");
        try
        {
            var started = Stopwatch.GetTimestamp();
            if (resultUrl.IsFile)
            {
                await CopyLocalAsync(resultUrl, localResultsFolder, videoTemp, ct);
            }
            else
            {
                await DownloadAsync(resultUrl, videoTemp, ct);
            }
            IngestMetrics.RecordStep("download", started);

            MediaProbe probe;
            started = Stopwatch.GetTimestamp();
            await _checks.WaitAsync(ct);
            IngestMetrics.RecordStep("checks_wait", started);
            try
            {
                started = Stopwatch.GetTimestamp();
                probe = await _tools.ProbeAsync(videoTemp, ct);
                IngestMetrics.RecordStep("probe", started);
                started = Stopwatch.GetTimestamp();
                await _tools.MakePosterAsync(videoTemp, probe.DurationSeconds, posterTemp, ct);
                IngestMetrics.RecordStep("poster", started);
            }
            catch (InvalidMediaException ex)
            {
                throw new IngestException("The result is not a playable video in an accepted format (MP4, MOV, WebM, Matroska).", isTransient: false, IngestErrorTypes.NotVideo, ex);
            }
            catch (TimeoutException ex)
            {
                throw new IngestException("Checking the result took too long.", isTransient: true, IngestErrorTypes.Timeout, ex);
            }
            finally
            {
                _checks.Release();
            }

            // Poster first: once the video key exists the row may point at it.
            started = Stopwatch.GetTimestamp();
            await _store.ImportFileAsync(posterKey, posterTemp, ct);
            var size = await _store.ImportFileAsync(videoKey, videoTemp, ct);
            IngestMetrics.RecordStep("store", started);
            _logger.LogInformation("Ingested {VideoId}: {Width}x{Height} {Codec} {Duration:0.0}s {Size} bytes", videoId, probe.Width, probe.Height, probe.VideoCodec, probe.DurationSeconds, size);
            return new IngestedMedia(videoKey, posterKey, probe with { SizeBytes = size });
        }
        catch (IngestException ex)
        {
            // The user sees ex.Message; what exactly happened (addresses, paths, ffmpeg output) is logged here only.
            _logger.LogWarning("Ingest of {VideoId} failed ({ErrorType}, transient: {Transient}): {Detail}", videoId, ex.ErrorType, ex.IsTransient, ex.Detail);
            throw;
        }
        finally
        {
            TryDelete(videoTemp);
            TryDelete(posterTemp);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _checks.Dispose();
    }

    private async Task CopyLocalAsync(Uri url, string? localResultsFolder, string target, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(url.Host) && url.Host != "localhost")
        {
            throw Refused($"file: URL with host '{url.Host}'.");
        }
        var folder = string.IsNullOrWhiteSpace(localResultsFolder) ? "" : Path.GetFullPath(localResultsFolder).TrimEnd(Path.DirectorySeparatorChar);
        var path = Path.GetFullPath(url.LocalPath);
        if (folder.Length == 0 || !path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Refused("file: results are accepted only from the folder their provider writes its results to.");
        }
        // No symlinks anywhere below that folder, so the path cannot lead out of it.
        for (var p = path; p.Length > folder.Length; p = Path.GetDirectoryName(p)!)
        {
            var info = new FileInfo(p);
            if (info.Exists || Directory.Exists(p))
            {
                if (info.LinkTarget is not null || new DirectoryInfo(p).LinkTarget is not null)
                {
                    throw Refused($"file: result '{path}' goes through the symbolic link '{p}'.");
                }
            }
        }
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new IngestException("The result file does not exist (yet).", isTransient: true, IngestErrorTypes.Missing, detail: $"'{path}' does not exist.");
        }
        if (file.Length > _options.MaxBytes)
        {
            throw TooLarge();
        }
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using var dest = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await source.CopyToAsync(dest, ct);
    }

    /// <summary>A result we will not fetch; <paramref name="detail"/> (which may name the address or path) goes to the log only.</summary>
    internal static IngestException Refused(string detail) =>
        new("The result is at a location this server does not download from.", isTransient: false, IngestErrorTypes.Refused, detail: detail);

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
}
