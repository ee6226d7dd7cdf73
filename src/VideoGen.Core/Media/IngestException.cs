namespace VideoGen.Core.Media;

/// <summary>
/// Ingest could not store the result. <see cref="IsTransient"/> says whether trying again may help
/// (network trouble, timeouts, 5xx) or not (refused address, oversize, not a video).
/// <see cref="Exception.Message"/> is shown to the user, so it never holds a path, an address, a
/// host name or tool output; those go in <see cref="Detail"/>, which only the server log sees.
/// </summary>
public sealed class IngestException(string message, bool isTransient, string errorType, Exception? inner = null, string? detail = null) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;

    /// <summary>One of <see cref="IngestErrorTypes"/>.</summary>
    public string ErrorType { get; } = errorType;

    /// <summary>What exactly went wrong, for the server log only (may name addresses, paths, ffmpeg output).</summary>
    public string Detail { get; } = detail ?? inner?.Message ?? message;
}

/// <summary>The <see cref="IngestException.ErrorType"/> values, stable for clients.</summary>
public static class IngestErrorTypes
{
    public const string Refused = "ingest_refused";
    public const string TooLarge = "ingest_too_large";
    public const string NotVideo = "ingest_not_video";
    public const string Http = "ingest_http";
    public const string Network = "ingest_network";
    public const string Timeout = "ingest_timeout";
    public const string Missing = "ingest_missing";
}

/// <summary>Result of a successful ingest: our media keys and what ffprobe saw.</summary>
public sealed record IngestedMedia(string VideoKey, string PosterKey, MediaProbe Probe);
