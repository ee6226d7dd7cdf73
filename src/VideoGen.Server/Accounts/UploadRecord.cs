namespace VideoGen.Server.Accounts;

/// <summary>Who uploaded an image: the media file <c>uploads/…</c> is served and usable as <c>imageUrl</c> only for its owner (and admins).</summary>
public sealed class UploadRecord
{
    /// <summary>The media key, <c>uploads/{32 hex}.{ext}</c>.</summary>
    public required string Key { get; set; }

    public required string OwnerId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
