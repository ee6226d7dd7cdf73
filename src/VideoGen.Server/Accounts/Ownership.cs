using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Accounts;

/// <summary>
/// The ownership rules, in one place: which videos a caller sees, and who may read a media file or use an upload.
/// What the caller may not see does not exist for them (404, never 403). Admins see everything.
/// </summary>
public static class Ownership
{
    /// <summary>The videos <paramref name="owner"/> may see: their own, or all for an admin.</summary>
    public static IQueryable<Video> VisibleTo(this IQueryable<Video> videos, CurrentOwner owner)
    {
        if (owner.IsAdmin)
        {
            return videos;
        }
        var id = owner.Id;
        return videos.Where(v => v.UserId == id);
    }

    /// <summary>
    /// Whether <paramref name="owner"/> may read the media file <paramref name="key"/>: <c>videos/{id}.mp4</c> and
    /// <c>posters/{id}.jpg</c> follow their video; <c>uploads/…</c> follows its upload record (an upload stored before
    /// uploads had owners belongs to the local owner); any other key only to admins.
    /// </summary>
    public static async Task<bool> CanReadMediaAsync(string key, CurrentOwner owner, AppDbContext db, CancellationToken ct)
    {
        if (owner.IsAdmin)
        {
            return true;
        }
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var folder = slash > 0 ? key[..slash] : "";
        var name = key[(slash + 1)..];
        switch (folder)
        {
            case "videos" or "posters" when !name.Contains('/', StringComparison.Ordinal):
                var videoId = Path.GetFileNameWithoutExtension(name);
                var videoOwner = await db.Videos.AsNoTracking().Where(v => v.Id == videoId).Select(v => v.UserId).FirstOrDefaultAsync(ct);
                return videoOwner is not null && owner.CanSee(videoOwner);
            case "uploads":
                return await CanUseUploadAsync(key, owner, db, ct);
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether the upload <paramref name="key"/> is the image of a video now at the provider (submitting, in its queue
    /// or generating): the provider fetches it from our public URL without credentials, so only then, and only
    /// uploads, are served to an anonymous caller. The URL holds 128 random bits and is only handed to the provider.
    /// </summary>
    public static async Task<bool> IsFetchedByProviderAsync(string key, AppDbContext db, CancellationToken ct)
    {
        if (!key.StartsWith("uploads/", StringComparison.Ordinal))
        {
            return false;
        }
        var suffix = "/media/" + key;
        return await db.Videos.AsNoTracking().AnyAsync(v =>
            (v.Status == VideoStatus.Submitting || v.Status == VideoStatus.SubmitUnconfirmed || v.Status == VideoStatus.InQueue || v.Status == VideoStatus.Generating)
            && v.ImageUrl != null && v.ImageUrl.EndsWith(suffix), ct);
    }

    /// <summary>Whether <paramref name="owner"/> may read the upload <paramref name="key"/> or name it as a video's <c>imageUrl</c>.</summary>
    public static async Task<bool> CanUseUploadAsync(string key, CurrentOwner owner, AppDbContext db, CancellationToken ct)
    {
        if (owner.IsAdmin)
        {
            return true;
        }
        var uploader = await db.Uploads.AsNoTracking().Where(u => u.Key == key).Select(u => u.OwnerId).FirstOrDefaultAsync(ct);
        return owner.CanSee(uploader ?? LocalOwner.Id);
    }
}
