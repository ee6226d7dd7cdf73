namespace VideoGen.Server.Events;

/// <summary>
/// One change of a video as the event pump published it: the video's JSON (the same shape as
/// <c>GET /api/videos/{id}</c>), serialized once and written to every stream that may see it.
/// </summary>
/// <param name="Position">Where it sits in this process's sequence of changes; its text is the SSE <c>id:</c>.</param>
/// <param name="VideoId">The video that changed.</param>
/// <param name="OwnerId">The video's owner: streams of other (non-admin) users never see it.</param>
/// <param name="Terminal">Whether the video reached a final status (a per-video stream ends after it).</param>
/// <param name="Json">The video's JSON; null when the video was deleted (a per-video stream then ends).</param>
public sealed record VideoChange(StreamPosition Position, string VideoId, string OwnerId, bool Terminal, string? Json)
{
    public bool Deleted => Json is null;
}
