using System.Text;

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
    private byte[]? _frame;

    public bool Deleted => Json is null;

    /// <summary>
    /// The SSE frame (<c>id:</c>, <c>event: video</c>, <c>data:</c>) as UTF-8, made once however many streams write it
    /// (a race makes it twice at worst, with the same bytes).
    /// </summary>
    public byte[] Frame => _frame ??= Encoding.UTF8.GetBytes($"id: {Position}\nevent: {EventName}\ndata: {Json}\n\n");

    /// <summary>The SSE event name of every change.</summary>
    public const string EventName = "video";
}
