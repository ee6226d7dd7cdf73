using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Data;

/// <summary>
/// The pipeline's view of Video rows. Each call uses its own short-lived context, so the
/// repository is safe as a singleton and across concurrent jobs; rows are returned detached and
/// written back whole — but only as a compare-and-set on the row's status and request id
/// (<see cref="TrySaveAsync"/>), and a cancel request recorded meanwhile by the API (or a provider
/// cancel recorded by the API or reconciler) is never erased.
/// </summary>
public sealed class EfVideoRepository(IDbContextFactory<AppDbContext> contexts) : IVideoRepository
{
    public async Task<Video?> FindAsync(string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
    }

    public async Task<bool> IsRequestHeldByAnotherVideoAsync(string provider, string requestId, string videoId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Videos.AsNoTracking().AnyAsync(v => v.ProviderRequestId == requestId && v.Provider == provider && v.Id != videoId, ct);
    }

    /// <summary>
    /// One transaction: first <c>UPDATE videos SET status = @expected WHERE id = @id AND status = @expected AND
    /// provider_request_id IS NOT DISTINCT FROM @expectedRequest</c>, which both checks the row and takes its write
    /// lock (SQLite: the database's, the transaction being <c>BEGIN IMMEDIATE</c>; PostgreSQL: the row's, and a
    /// concurrent writer blocked on it re-checks the condition on the committed row and matches nothing); then, only
    /// if it matched, the whole row. So of two writers expecting the same state exactly one writes.
    /// </summary>
    public async Task<bool> TrySaveAsync(Video video, StoredVideoState expected, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var status = expected.Status;
        var requestId = expected.ProviderRequestId;
        var matched = await db.Videos
            .Where(v => v.Id == video.Id && v.Status == status && v.ProviderRequestId == requestId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, status), ct);
        if (matched == 0)
        {
            return false;
        }

        var entry = db.Videos.Update(video);
        // The priority is an admin's to raise (while the job waits); a pipeline's copy never changes it.
        entry.Property(v => v.Priority).IsModified = false;
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
        await transaction.CommitAsync(ct);
        return true;
    }
}
