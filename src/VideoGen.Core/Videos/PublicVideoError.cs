using System.Text.RegularExpressions;
using VideoGen.Core.Media;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Videos;

/// <summary>
/// What a client is told about a failed or canceled video. The row keeps the full reason the
/// pipeline wrote (and the server log has it with the video id); the public answer is a stable
/// error type and a user-meaningful message: a fixed text for every failure we produce ourselves
/// (ingest, transport, timeouts, renderer, our own bugs), and for the provider's own error types
/// (validation, content policy, whatever fal passes through) the provider's reason, which is
/// meant for the user — with URLs, addresses, file paths and stack text cut out. Nothing internal (exception text, paths,
/// resolved addresses, ffmpeg output, host names) reaches a response.
/// </summary>
public static partial class PublicVideoError
{
    /// <summary>Stands in for an error type the server does not know (never echoed: it may be anything).</summary>
    public const string UnknownType = "provider_error";

    private static readonly Dictionary<string, string> FixedMessages = new(StringComparer.Ordinal)
    {
        [IngestErrorTypes.Refused] = "The provider's result is at a location this server does not download from.",
        [IngestErrorTypes.TooLarge] = "The provider's result is larger than this server accepts.",
        [IngestErrorTypes.NotVideo] = "The provider's result is not a playable video in an accepted format.",
        [IngestErrorTypes.Http] = "Downloading the provider's result failed.",
        [IngestErrorTypes.Network] = "Downloading the provider's result failed (network error).",
        [IngestErrorTypes.Timeout] = "Downloading or checking the provider's result took too long.",
        [IngestErrorTypes.Missing] = "The provider's result file could not be found.",
        [ProviderErrorTypes.SubmitOutcomeUnknown] = "The provider's answers to this video's submits were lost and nothing proved it accepted either, so it was not sent a third time, to avoid paying twice; check the provider's dashboard.",
        ["unknown_model"] = "No provider serves this model any more.",
        ["deadline_exceeded"] = "Deadline exceeded: the video did not finish in time, so it was canceled at the provider.",
        ["request_expired"] = "The provider request expired or is unknown to the provider; it was not resubmitted, to avoid paying twice.",
        ["provider_failed"] = "The provider reported a failure without a reason.",
        ["transient_error"] = "The video could not be finished: a temporary problem persisted through every attempt.",
        ["render_failed"] = "The local preview render failed.",
        ["canceled"] = "Canceled.",
        [FalErrorTypes.Unauthorized] = "The server's fal key was rejected; the operator must fix it.",
        [FalErrorTypes.Expired] = "fal no longer knows this request: it expired (fal keeps results for a limited time).",
        [FalErrorTypes.BadResponse] = "fal sent an answer this server could not read.",
        [FalErrorTypes.NoVideo] = "fal finished without a video this server can fetch.",
        [FalErrorTypes.StorageRejected] = "fal storage refused the input image.",
        [FalErrorTypes.ImageMissing] = "The uploaded image no longer exists; upload it again.",
        [FalErrorTypes.RateLimited] = "fal kept rate-limiting this server; try again later.",
        [FalErrorTypes.Transient] = "fal was unavailable through every attempt; try again later.",
    };

    /// <summary>Provider types known to carry a reason for the user (scrubbed before it is shown); any other unknown type is treated alike.</summary>
    private static readonly HashSet<string> ProviderReasonTypes = new(StringComparer.Ordinal)
    {
        FalErrorTypes.Validation,
        "content_policy_violation",
        "image_load_error",
        "file_download_error",
        "face_detection_error",
        "no_media_generated",
        "image_too_small",
        "image_too_large",
        "video_duration_too_long",
        "video_duration_too_short",
        "unsupported_image_format",
        "unsupported_video_format",
        "audio_duration_too_long",
        "audio_duration_too_short",
        "one_of",
        "sequence_too_long",
        "sequence_too_short",
    };

    /// <summary>Every error type with a fixed public message (for tests and docs).</summary>
    public static IReadOnlyCollection<string> KnownTypes => FixedMessages.Keys;

    /// <summary>Types whose public message is the provider's (scrubbed) reason.</summary>
    public static IReadOnlyCollection<string> ProviderReasons => ProviderReasonTypes;

    /// <summary>The public (type, message) for a row's stored <paramref name="errorType"/> and <paramref name="storedMessage"/>.</summary>
    public static (string? Type, string? Message) Describe(VideoStatus status, string? errorType, string? storedMessage)
    {
        if (errorType is null)
        {
            return storedMessage is null
                ? (null, null)
                : (null, status == VideoStatus.Canceled ? "Canceled by the user." : "The video failed.");
        }
        if (FixedMessages.TryGetValue(errorType, out var message))
        {
            return (errorType, message);
        }
        // Any other type is the provider's own (fal passes its error types through): its reason is
        // meant for the user, shown scrubbed; a type that is not a plain identifier is not echoed.
        var reason = Scrub(storedMessage);
        var type = ProviderReasonTypes.Contains(errorType) || IsPlainType(errorType) ? errorType : UnknownType;
        return (type, string.IsNullOrWhiteSpace(reason) ? "The provider reported an error." : reason);
    }

    /// <summary>
    /// Cuts URLs, IP addresses, file paths and anything stack-like out of a provider's reason and
    /// bounds its length; what is left is the reason as the provider phrased it for the user.
    /// </summary>
    public static string? Scrub(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var firstLine = text.Split('\n', 2)[0];
        var scrubbed = Sensitive().Replace(firstLine, "[…]").Trim();
        return scrubbed.Length <= 500 ? scrubbed : string.Concat(scrubbed.AsSpan(0, 500), "…");
    }

    private static bool IsPlainType(string type) =>
        type.Length is > 0 and <= 64 && type.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    // URLs of any scheme; IPv4; IPv6-ish (three or more hex groups); absolute or home paths with a
    // separator; Windows paths; stack frames; exception type names; memory addresses (ffmpeg's
    // "[hls @ 0x55d…]"); host names of private zones and localhost.
    [GeneratedRegex(
        @"[A-Za-z][A-Za-z0-9+.\-]*://\S+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[?\b[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}\]?|(?<![\w.])~?/[^\s/]+/\S*|\b[A-Za-z]:\\\S*|\bat [\w.`<>]+\(.*|\b[\w.]*Exception\b|\b0x[0-9A-Fa-f]+\b|\b[\w-]+(?:\.[\w-]+)*\.(?:internal|local|localdomain|lan|corp|home|svc|cluster)\b|\blocalhost\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex Sensitive();
}
