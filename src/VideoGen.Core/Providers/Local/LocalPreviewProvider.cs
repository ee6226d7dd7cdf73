using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;

namespace VideoGen.Core.Providers.Local;

/// <summary>
/// A local preview renderer — not an AI model. It draws a short deterministic ffmpeg clip from the
/// prompt and seed, and behaves like a remote queue-style provider so the whole pipeline can be
/// exercised without a key: submit answers at once with a request id, the request waits in a
/// simulated queue (with position), renders with progress and log lines, and finishes with a
/// file: URL. Requests are persisted under <see cref="LocalProviderOptions.WorkDir"/>, so a new
/// process answers status for old request ids and restarts renders a crash interrupted.
/// </summary>
public sealed partial class LocalPreviewProvider : IVideoProvider, IDisposable
{
    public const string ProviderName = "local";
    private const int MaxLogLines = 50;

    private readonly LocalProviderOptions _options;
    private readonly FfmpegOptions _ffmpeg;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalPreviewProvider> _logger;
    private readonly IProviderSignals? _signals;
    private readonly ConcurrentDictionary<string, RenderJob> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private long _sequence;

    public LocalPreviewProvider(
        IOptions<LocalProviderOptions> options,
        IOptions<FfmpegOptions> ffmpeg,
        ProcessRunner runner,
        TimeProvider time,
        ILogger<LocalPreviewProvider> logger,
        IProviderSignals? signals = null)
    {
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.WorkDir))
        {
            throw new InvalidOperationException($"{LocalProviderOptions.Section}:WorkDir must be set.");
        }
        _ffmpeg = ffmpeg.Value;
        _runner = runner;
        _time = time;
        _logger = logger;
        _signals = signals;
        _slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentRenders));
        WorkDir = Path.GetFullPath(_options.WorkDir);
        Directory.CreateDirectory(WorkDir);
    }

    public string Name => ProviderName;

    /// <summary>Request ids derive from the video id, so a second submit re-attaches.</summary>
    public bool DeduplicatesSubmits => true;

    /// <summary>Absolute work directory, where requests and their rendered results live.</summary>
    public string WorkDir { get; }

    /// <summary>Results are files in <see cref="WorkDir"/>, so ingest copies them from there (and from nowhere else).</summary>
    public string? LocalResultsFolder => WorkDir;

    public bool Serves(string modelId) => modelId == LocalModelSource.PreviewModelId;

    public Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (!Serves(request.Model))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"The local preview renderer does not serve model '{request.Model}'.", "unknown_model");
        }
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "The prompt is empty.", "validation_error");
        }
        var (duration, aspect) = ReadParameters(request.ParametersJson);
        PruneOccasionally();
        var files = new LocalRequestFiles(WorkDir, LocalRequestFiles.RequestIdFor(request.VideoId));
        lock (_gate)
        {
            if (!files.Exists)
            {
                files.WriteRequest(new LocalRequestRecord(files.RequestId, request.VideoId, request.Model, request.Prompt, request.Seed, duration, aspect, _time.GetUtcNow()));
            }
            var record = files.ReadRequest() ?? throw new ProviderException(ProviderErrorKind.Transient, "The request record could not be read back.");
            StartIfNeeded(files, record, resumed: false);
        }
        return Task.FromResult(new ProviderHandle(Name, request.Model, files.RequestId));
    }

    public Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct)
    {
        if (!LocalRequestFiles.IsValidRequestId(handle.RequestId))
        {
            return Task.FromResult(new ProviderStatus(ProviderPhase.NotFound));
        }
        if (_jobs.TryGetValue(handle.RequestId, out var running))
        {
            return Task.FromResult(Snapshot(running));
        }
        var files = new LocalRequestFiles(WorkDir, handle.RequestId);
        lock (_gate)
        {
            if (_jobs.TryGetValue(handle.RequestId, out running))
            {
                return Task.FromResult(Snapshot(running));
            }
            if (TerminalFromDisk(files) is { } terminal)
            {
                return Task.FromResult(terminal);
            }
            if (!files.Exists)
            {
                return Task.FromResult(new ProviderStatus(ProviderPhase.NotFound));
            }
            var record = files.ReadRequest();
            if (record is null)
            {
                return Task.FromResult(new ProviderStatus(ProviderPhase.Failed, Error: "The request record is unreadable.", ErrorType: "render_failed"));
            }
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            // Interrupted by a restart: render again (the output is deterministic, so nothing changes for the caller).
            return Task.FromResult(Snapshot(StartIfNeeded(files, record, resumed: true)!));
        }
    }

    public Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct)
    {
        if (!LocalRequestFiles.IsValidRequestId(handle.RequestId))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "Unknown request id.", "not_found");
        }
        var files = new LocalRequestFiles(WorkDir, handle.RequestId);
        if (files.IsDone)
        {
            return Task.FromResult(new ProviderResult(new Uri(files.Output), "video/mp4"));
        }
        if (TerminalFromDisk(files) is { Phase: ProviderPhase.Failed } failed)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, failed.Error ?? "The render failed.", failed.ErrorType);
        }
        if (!files.Exists)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "The request is unknown or expired.", "not_found");
        }
        throw new ProviderException(ProviderErrorKind.Transient, "The render has not finished yet.");
    }

    public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct)
    {
        if (!LocalRequestFiles.IsValidRequestId(handle.RequestId))
        {
            return Task.FromResult(false);
        }
        var files = new LocalRequestFiles(WorkDir, handle.RequestId);
        lock (_gate)
        {
            if (files.IsDone)
            {
                return Task.FromResult(true);
            }
            if (!files.Exists)
            {
                return Task.FromResult(false);
            }
            files.WriteCanceled();
        }
        if (_jobs.TryGetValue(handle.RequestId, out var job))
        {
            job.AddLog("Cancel requested; stopping ffmpeg.");
            job.Cancel();
        }
        return Task.FromResult(true);
    }

    /// <summary>Stops running renders without marking them; a later process resumes them.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        _disposed.Cancel();
        foreach (var job in _jobs.Values)
        {
            job.Cancel();
        }
    }

    private static ProviderStatus? TerminalFromDisk(LocalRequestFiles files)
    {
        if (files.IsDone)
        {
            return new ProviderStatus(ProviderPhase.Completed, Progress: 1.0);
        }
        if (files.IsCanceled)
        {
            return new ProviderStatus(ProviderPhase.Failed, Error: "Canceled by request.", ErrorType: "canceled");
        }
        if (File.Exists(files.FailedJson))
        {
            return new ProviderStatus(ProviderPhase.Failed, Error: files.ReadFailure() ?? "The render failed.", ErrorType: "render_failed");
        }
        return null;
    }

    private static (int Duration, string Aspect) ReadParameters(string? json)
    {
        var duration = 4;
        var aspect = "16:9";
        if (string.IsNullOrWhiteSpace(json))
        {
            return (duration, aspect);
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.TryGetProperty("duration", out var d))
            {
                var text = d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText();
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out duration) || duration is < 2 or > 10)
                {
                    throw new ProviderException(ProviderErrorKind.Permanent, "duration must be an integer from 2 to 10.", "validation_error");
                }
            }
            if (root.TryGetProperty("aspect_ratio", out var a))
            {
                aspect = a.GetString() ?? aspect;
                if (aspect is not ("16:9" or "9:16" or "1:1"))
                {
                    throw new ProviderException(ProviderErrorKind.Permanent, "aspect_ratio must be 16:9, 9:16 or 1:1.", "validation_error");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "The parameters are not a valid JSON object.", "validation_error", inner: ex);
        }
        return (duration, aspect);
    }
}
