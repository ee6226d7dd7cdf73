namespace VideoGen.Server.Apis;

/// <summary>Video ids: time-ordered (Guid v7), 32 lowercase hex digits, also used as job id and media file name.</summary>
public static class VideoIds
{
    public static string New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");

    /// <summary>Anything else is answered 404 without touching the database.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
