namespace VideoGen.Server.Limits;

/// <summary>
/// The limits that apply to a user now (null = unlimited). <see cref="Exempt"/>: an admin or the local owner, to whom no
/// limit applies. <see cref="ActiveVideos"/>: their unfinished videos, counted against <see cref="MaxActiveVideos"/>.
/// </summary>
public sealed record LimitsDto(string Tier, int Priority, bool Exempt, int? MaxActiveVideos, int ActiveVideos, int? SubmissionsPerMinute, decimal? DailyBudgetUsd)
{
    public static LimitsDto From(EffectiveLimits l, int activeVideos) =>
        new(l.Tier, l.Priority, l.Exempt, l.MaxActiveVideos, activeVideos, l.SubmissionsPerMinute, l.DailyBudgetUsd);
}

/// <summary>
/// Spend in US dollars of estimated provider cost, charged when a video is submitted to the provider: today and this
/// month (UTC), reserved for videos not yet submitted, the daily budget (null = unlimited) and when today's spend resets.
/// </summary>
public sealed record SpendDto(decimal TodayUsd, decimal MonthUsd, decimal PendingUsd, decimal? DailyBudgetUsd, DateTimeOffset ResetsAt)
{
    public static SpendDto From(Spend s, EffectiveLimits l) => new(s.TodayUsd, s.MonthUsd, s.PendingUsd, l.DailyBudgetUsd, s.ResetsAt);
}

/// <summary>An admin's per-user overrides; null inherits the tier's value, then <c>VideoGen:Limits</c>; 0 is unlimited.</summary>
public sealed record LimitOverridesDto(int? MaxActiveVideos, int? SubmissionsPerMinute, decimal? DailyBudgetUsd);

/// <summary>An account as the admin users API shows it: who, which tier (stored: null = default), overrides, and what applies now.</summary>
public sealed record AdminUserDto(
    string Id,
    string Email,
    bool IsAdmin,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt,
    string? Tier,
    LimitOverridesDto Overrides,
    LimitsDto Limits,
    SpendDto Spend);

public sealed record AdminUserListDto(IReadOnlyList<AdminUserDto> Items, IReadOnlyList<TierDto> Tiers, string DefaultTier);

/// <summary>A configured tier.</summary>
public sealed record TierDto(string Name, int Priority, int? MaxActiveVideos, int? SubmissionsPerMinute, decimal? DailyBudgetUsd);

/// <summary>
/// <c>PUT /api/admin/users/{id}/limits</c>: replaces the user's tier and overrides; a field left out or null goes back
/// to inheriting (tier: the default tier).
/// </summary>
public sealed record SetUserLimitsBody(string? Tier, int? MaxActiveVideos, int? SubmissionsPerMinute, decimal? DailyBudgetUsd)
{
    public static IReadOnlySet<string> Fields { get; } =
        new HashSet<string>(["tier", "maxActiveVideos", "submissionsPerMinute", "dailyBudgetUsd"], StringComparer.OrdinalIgnoreCase);
}

/// <summary><c>POST /api/admin/videos/{id}/priority</c>: the video's new queue priority (higher starts first).</summary>
public sealed record SetPriorityBody(int? Priority)
{
    public static IReadOnlySet<string> Fields { get; } = new HashSet<string>(["priority"], StringComparer.OrdinalIgnoreCase);
}
