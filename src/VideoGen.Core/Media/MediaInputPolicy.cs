namespace VideoGen.Core.Media;

/// <summary>
/// What ffprobe and ffmpeg may open when they read a downloaded result. A result is untrusted
/// bytes: a playlist (HLS, concat, ffconcat) or any demuxer that follows references would make
/// ffmpeg read local files or fetch URLs on our behalf, and the poster made from it would be
/// published. So every input is named as a <c>file:</c> URL, only the <c>file</c> protocol is
/// allowed, only the containers a video result comes in may be demuxed (the playlist demuxers are
/// never even tried), and the probed container is checked once more by name.
/// </summary>
public static class MediaInputPolicy
{
    /// <summary>Protocols an input may use: the one local file and nothing it points to elsewhere.</summary>
    public const string Protocols = "file";

    /// <summary>Demuxers allowed, as ffmpeg names them (MP4/MOV family, Matroska/WebM).</summary>
    public const string Formats = "mov,mp4,matroska,webm";

    private static readonly HashSet<string> AllowedFormatNames = new(StringComparer.Ordinal)
    {
        "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm",
    };

    /// <summary>The input options that go right before <c>-i</c> (ffmpeg) or the input (ffprobe), followed by the input itself.</summary>
    public static IEnumerable<string> Input(string path) =>
        ["-protocol_whitelist", Protocols, "-format_whitelist", Formats, "-i", FileUrl(path)];

    /// <summary>A local path as an explicit <c>file:</c> URL, so no part of the name is read as another protocol.</summary>
    public static string FileUrl(string path) => "file:" + Path.GetFullPath(path);

    /// <summary>True when ffprobe's <c>format_name</c> (e.g. "mov,mp4,m4a,3gp,3g2,mj2") is one of the allowed containers.</summary>
    public static bool IsAllowedFormat(string? formatName) =>
        formatName is { Length: > 0 } && formatName.Split(',').All(AllowedFormatNames.Contains);
}
