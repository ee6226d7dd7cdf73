using Microsoft.EntityFrameworkCore;
using VideoGen.Server.Data;

namespace VideoGen.Server.Limits;

/// <summary>
/// The <c>idempotency_keys</c> table. A key is claimed by inserting it: the primary key (owner, route, key) lets exactly
/// one of several identical requests insert, on SQLite and PostgreSQL alike and across every API server (no in-memory
/// lock). The others find the row and wait for its answer, replay it, or are told the body differs.
/// </summary>
public sealed class IdempotencyStore(IDbContextFactory<AppDbContext> contexts, TimeProvider time)
{
    public async Task<IdempotencyClaim> ClaimAsync(string ownerId, string scope, string key, string requestHash, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + IdempotencyKeys.WaitForFirst;
        var vanished = 0;
        for (var look = 0; look < 500; look++)
        {
            var now = time.GetUtcNow();
            if (await TryInsertAsync(ownerId, scope, key, requestHash, now, ct))
            {
                return new IdempotencyClaim(IdempotencyClaimKind.Claimed, null);
            }
            await using var db = await contexts.CreateDbContextAsync(ct);
            var existing = await db.IdempotencyKeys.AsNoTracking()
                .FirstOrDefaultAsync(k => k.OwnerId == ownerId && k.Scope == scope && k.Key == key, ct);
            if (existing is null)
            {
                // The first request was refused and let the key go: claim it now. Again and again means the insert
                // fails for another reason (the database), which is not ours to hide.
                if (++vanished > 5)
                {
                    throw new InvalidOperationException("The idempotency key could not be stored.");
                }
                continue;
            }
            var abandoned = existing.StatusCode is null && existing.CreatedAt + IdempotencyKeys.AbandonedAfter <= now;
            if (existing.ExpiresAt <= now || abandoned)
            {
                var createdAt = existing.CreatedAt;
                await db.IdempotencyKeys.Where(k => k.OwnerId == ownerId && k.Scope == scope && k.Key == key && k.CreatedAt == createdAt)
                    .ExecuteDeleteAsync(ct);
                continue;
            }
            if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
            {
                return new IdempotencyClaim(IdempotencyClaimKind.DifferentBody, existing);
            }
            if (existing.StatusCode is not null)
            {
                return new IdempotencyClaim(IdempotencyClaimKind.Replay, existing);
            }
            if (now >= deadline)
            {
                return new IdempotencyClaim(IdempotencyClaimKind.StillRunning, existing);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, ct);
        }
        return new IdempotencyClaim(IdempotencyClaimKind.StillRunning, null);
    }

    /// <summary>Stores the first answer, replayed until the key expires.</summary>
    public async Task CompleteAsync(string ownerId, string scope, string key, int status, string? contentType, string? location, string body, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.IdempotencyKeys.Where(k => k.OwnerId == ownerId && k.Scope == scope && k.Key == key)
            .ExecuteUpdateAsync(s => s
                .SetProperty(k => k.StatusCode, status)
                .SetProperty(k => k.ContentType, contentType)
                .SetProperty(k => k.Location, location)
                .SetProperty(k => k.ResponseBody, body), ct);
    }

    /// <summary>Lets the key go (the request was refused and created nothing), so a retry with it runs again.</summary>
    public async Task ReleaseAsync(string ownerId, string scope, string key, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.IdempotencyKeys.Where(k => k.OwnerId == ownerId && k.Scope == scope && k.Key == key && k.StatusCode == null).ExecuteDeleteAsync(ct);
    }

    /// <summary>Deletes keys past their 24 hours. Returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.IdempotencyKeys.Where(k => k.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    private async Task<bool> TryInsertAsync(string ownerId, string scope, string key, string requestHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.IdempotencyKeys.Add(new IdempotencyRecord
        {
            OwnerId = ownerId,
            Scope = scope,
            Key = key,
            RequestHash = requestHash,
            CreatedAt = now,
            ExpiresAt = now + IdempotencyKeys.Retention,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Almost always the primary key: someone holds the key. The caller reads the row to find out; if there is
            // none, the loop inserts again, and a failure of another kind surfaces as a bounded loop ending.
            return false;
        }
    }
}

public enum IdempotencyClaimKind
{
    /// <summary>This request holds the key: run it, then complete or release the key.</summary>
    Claimed,

    /// <summary>The key's first answer exists: answer it again.</summary>
    Replay,

    /// <summary>The key was used with another body: 422.</summary>
    DifferentBody,

    /// <summary>The first request with this key is still running: 409, retry shortly.</summary>
    StillRunning,
}

public sealed record IdempotencyClaim(IdempotencyClaimKind Kind, IdempotencyRecord? Existing);
