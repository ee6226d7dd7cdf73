using VideoGen.Core.Media;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Housekeeping;

/// <summary>
/// Deletes a finished video: its stored files first, then its row. In that order a failure
/// half-way leaves a row whose files are gone (deleting it again finishes the job), never files
/// nothing points at. The upload it used is not deleted here: it is swept once no video uses it.
/// </summary>
public sealed class VideoDeletion(IMediaStore media, ILogger<VideoDeletion> logger)
{
    /// <summary>Removes <paramref name="video"/> (which must be terminal and tracked by <paramref name="db"/>).</summary>
    public async Task DeleteAsync(AppDbContext db, Video video, CancellationToken ct)
    {
        if (!video.Status.IsTerminal())
        {
            throw new InvalidOperationException($"Video {video.Id} is {video.Status}; only finished videos are deleted.");
        }
        foreach (var key in new[] { video.ResultPath, video.PosterPath, SafeKey(MediaKeys.Video, video.Id), SafeKey(MediaKeys.Poster, video.Id) })
        {
            if (key is not null)
            {
                await media.DeleteAsync(key, ct);
            }
        }
        db.Videos.Remove(video);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Deleted video {VideoId} and its files", video.Id);
    }

    private static string? SafeKey(Func<string, string> key, string id)
    {
        try
        {
            return key(id);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
