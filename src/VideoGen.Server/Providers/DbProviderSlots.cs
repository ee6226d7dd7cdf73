using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Providers.Slots;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Providers;

/// <summary>
/// <see cref="IProviderSlots"/> in the app database (issue 13). The app database, not Redis: it is shared by every
/// machine in every deployment (SQLite on one machine, PostgreSQL on many), it is the truth a slot must agree with (a
/// slot is keyed by its video and reconciled against the video rows, see <see cref="ReconcileAsync"/>, so the slot of a
/// video whose worker was killed comes back), and it survives a restart or a flush of the queue's Redis.
/// A take is one short transaction: SQLite's writer lock (<c>BEGIN IMMEDIATE</c>) or, on PostgreSQL, a transaction
/// advisory lock per provider serializes takes, so two machines never both take the last slot.
/// </summary>
public sealed class DbProviderSlots(IDbContextFactory<AppDbContext> dbs, ProviderLimitsCatalog limits, TimeProvider time) : IProviderSlots
{
    /// <summary>The window of <see cref="ProviderLimits.MaxSubmitsPerMinute"/>.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private static readonly VideoStatus[] NotFinished = [.. Enum.GetValues<VideoStatus>().Where(s => !s.IsTerminal())];

    public async Task<SlotGrant> TryTakeAsync(string videoId, string provider, string model, CancellationToken ct)
    {
        var limit = (await limits.GetAsync(provider, ct)).Limits;
        if (!limit.IsLimited)
        {
            return SlotGrant.Unlimited;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext({0}))", ["videogen.provider_slots." + provider], ct);
        }

        var mine = await db.ProviderSlots.FirstOrDefaultAsync(s => s.VideoId == videoId, ct);
        if (mine is { ReleasedAtMs: null })
        {
            await tx.CommitAsync(ct);
            return SlotGrant.AlreadyHeld;
        }

        var held = db.ProviderSlots.Where(s => s.Provider == provider && s.ReleasedAtMs == null);
        var full = (limit.MaxConcurrent is { } max && await held.CountAsync(ct) >= max)
            || (limit.MaxConcurrentOf(model) is { } modelMax && await held.CountAsync(s => s.Model == model, ct) >= modelMax)
            || (limit.MaxSubmitsPerMinute is { } rate
                && await db.ProviderSlots.CountAsync(s => s.Provider == provider && s.TakenAtMs > now - (long)RateWindow.TotalMilliseconds, ct) >= rate);
        if (full)
        {
            await tx.CommitAsync(ct);
            return SlotGrant.Full;
        }

        if (mine is null)
        {
            mine = new ProviderSlotRow { VideoId = videoId };
            db.ProviderSlots.Add(mine);
        }

        mine.Provider = provider;
        mine.Model = model;
        mine.TakenAtMs = now;
        mine.ReleasedAtMs = null;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SlotGrant.Taken;
    }

    public async Task ReleaseAsync(string videoId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.ProviderSlots
            .Where(s => s.VideoId == videoId && s.ReleasedAtMs == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.ReleasedAtMs, now), ct);
    }

    /// <summary>
    /// Gives back every slot whose video no longer occupies the provider by its row (finished, result fetched, or the
    /// row is gone): slots of videos that ended where no release ran (a worker killed mid-way, a cancel of a parked
    /// video). Then forgets released slots older than the rate window. Returns how many slots came back.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var freed = await db.ProviderSlots
            .Where(s => s.ReleasedAtMs == null
                && !db.Videos.Any(v => v.Id == s.VideoId && NotFinished.Contains(v.Status) && v.ProviderResultUrl == null))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.ReleasedAtMs, now), ct);
        var forgetBefore = now - (long)RateWindow.TotalMilliseconds;
        await db.ProviderSlots
            .Where(s => s.ReleasedAtMs != null && s.TakenAtMs < forgetBefore)
            .ExecuteDeleteAsync(ct);
        return freed;
    }

    /// <summary>What <paramref name="provider"/>'s slots look like now: held in all, held per model, submits in the last minute.</summary>
    public async Task<ProviderSlotUsage> UsageAsync(string provider, CancellationToken ct)
    {
        var since = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)RateWindow.TotalMilliseconds;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var perModel = await db.ProviderSlots
            .Where(s => s.Provider == provider && s.ReleasedAtMs == null)
            .GroupBy(s => s.Model)
            .Select(g => new { Model = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Model, x => x.Count, StringComparer.Ordinal, ct);
        var recent = await db.ProviderSlots.CountAsync(s => s.Provider == provider && s.TakenAtMs > since, ct);
        return new ProviderSlotUsage(perModel.Values.Sum(), perModel, recent);
    }
}

/// <summary>A provider's slots in use now.</summary>
public sealed record ProviderSlotUsage(int InUse, IReadOnlyDictionary<string, int> InUseByModel, int SubmitsLastMinute);
