using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Data;

/// <summary>
/// The pipeline's view of Video rows. Each call uses its own short-lived context, so the
/// repository is safe as a singleton and across concurrent jobs; rows are returned detached and
/// written back whole, except that a cancel request recorded meanwhile by the API (or a provider cancel
/// recorded by the API or reconciler) is never erased.
/// </summary>
public sealed class EfVideoRepository(IDbContextFactory<AppDbContext> contexts) : IVideoRepository
{
    public async Task<Video?> FindAsync(string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
    }

    public async Task SaveAsync(Video video, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var entry = db.Videos.Update(video);
        if (video.CancelRequestedAt is null)
        {
            // A cancel request is written by the API while the pipeline works on its own copy of the
            // row; a later save of that copy must not erase it.
            entry.Property(v => v.CancelRequestedAt).IsModified = false;
        }
        if (video.ProviderCanceledAt is null)
        {
            // Likewise the record that the provider answered our cancel (written by the API or reconciler).
            entry.Property(v => v.ProviderCanceledAt).IsModified = false;
        }
        await db.SaveChangesAsync(ct);
    }
}
