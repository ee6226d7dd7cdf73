namespace VideoGen.Server.Events;

/// <summary>
/// Which changes one stream receives: those of one video (<see cref="VideoId"/>; the owner check was made
/// when the stream opened), or every video of <see cref="OwnerId"/> (all videos when <see cref="SeesAll"/>,
/// i.e. for an admin).
/// </summary>
public sealed record StreamFilter(string? VideoId, string OwnerId, bool SeesAll)
{
    public static StreamFilter OneVideo(string videoId, string ownerId) => new(videoId, ownerId, SeesAll: false);

    public static StreamFilter AllVisible(string ownerId, bool isAdmin) => new(null, ownerId, isAdmin);

    public bool Matches(VideoChange change) => VideoId is not null
        ? string.Equals(change.VideoId, VideoId, StringComparison.Ordinal)
        : SeesAll || string.Equals(change.OwnerId, OwnerId, StringComparison.Ordinal);
}
