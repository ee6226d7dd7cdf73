namespace VideoGen.Core.Media;

/// <summary>
/// Ingest could not store the result. <see cref="IsTransient"/> says whether trying again may help
/// (network trouble, timeouts, 5xx) or not (refused address, oversize, not a video).
/// </summary>
public sealed class IngestException(string message, bool isTransient, string errorType, Exception? inner = null) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;

    /// <summary>"ingest_refused", "ingest_too_large", "ingest_not_video", "ingest_http", "ingest_network", "ingest_timeout".</summary>
    public string ErrorType { get; } = errorType;
}

/// <summary>Result of a successful ingest: our media keys and what ffprobe saw.</summary>
public sealed record IngestedMedia(string VideoKey, string PosterKey, MediaProbe Probe);
