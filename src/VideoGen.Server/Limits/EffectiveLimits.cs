namespace VideoGen.Server.Limits;

/// <summary>
/// What applies to one caller now: their tier and its queue priority, and each limit after the per-user override, the
/// tier's default and <c>VideoGen:Limits</c> (in that order). A null limit is unlimited; <see cref="Exempt"/> callers
/// (admins, the local owner) have no limits at all.
/// </summary>
public sealed record EffectiveLimits(string Tier, int Priority, bool Exempt, int? MaxActiveVideos, int? SubmissionsPerMinute, decimal? DailyBudgetUsd)
{
    /// <summary>Picks the first value set (override, tier, default); 0 means unlimited (null).</summary>
    internal static int? Pick(int? user, int? tier, int fallback) => (user ?? tier ?? fallback) is var v && v > 0 ? v : null;

    internal static decimal? Pick(decimal? user, decimal? tier, decimal fallback) => (user ?? tier ?? fallback) is var v && v > 0 ? v : null;
}
