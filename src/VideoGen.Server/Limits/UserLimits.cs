using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;

namespace VideoGen.Server.Limits;

/// <summary>
/// Resolves <see cref="EffectiveLimits"/> for an owner from their account row (tier and overrides), the tier's settings
/// and <c>VideoGen:Limits</c>. Admins and single-user mode's local owner are exempt from limits (they run the server and
/// can change any limit); their videos still get their tier's priority.
/// </summary>
public sealed class UserLimits(IDbContextFactory<AppDbContext> contexts, Tiers tiers, IOptions<LimitsOptions> options)
{
    public async Task<EffectiveLimits> ForAsync(string ownerId, bool isAdmin, CancellationToken ct)
    {
        AppUser? user = null;
        if (ownerId != LocalOwner.Id)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == ownerId, ct);
        }
        return For(user, exempt: isAdmin || ownerId == LocalOwner.Id);
    }

    /// <summary>The owner's unfinished videos (any status but succeeded, failed, canceled): what max active videos counts.</summary>
    public async Task<int> ActiveVideosAsync(string ownerId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Videos.AsNoTracking().CountAsync(v => v.UserId == ownerId
            && v.Status != VideoStatus.Succeeded && v.Status != VideoStatus.Failed && v.Status != VideoStatus.Canceled, ct);
    }

    /// <summary>The limits of <paramref name="user"/> (null: the local owner, or an account that no longer exists: the defaults).</summary>
    public EffectiveLimits For(AppUser? user, bool exempt)
    {
        var (name, tier) = tiers.Resolve(user?.Tier);
        if (exempt)
        {
            return new EffectiveLimits(name, tier.Priority, true, null, null, null);
        }
        var d = options.Value;
        return new EffectiveLimits(
            name,
            tier.Priority,
            false,
            EffectiveLimits.Pick(user?.MaxActiveVideos, tier.MaxActiveVideos, d.MaxActiveVideos),
            EffectiveLimits.Pick(user?.SubmissionsPerMinute, tier.SubmissionsPerMinute, d.SubmissionsPerMinute),
            EffectiveLimits.Pick(user?.DailyBudgetUsd, tier.DailyBudgetUsd, d.DailyBudgetUsd));
    }
}
