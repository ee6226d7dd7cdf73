using Microsoft.AspNetCore.Identity;

namespace VideoGen.Server.Accounts;

/// <summary>
/// An account. The id (a GUID string) is the owner id written on every video and upload it creates.
/// A disabled account cannot sign in and its API keys stop working; its videos stay (admins still see them).
/// </summary>
public sealed class AppUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an admin disabled the account; null while it is active.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The account's tier (<c>VideoGen:Tiers</c>); null means the default tier (<c>VideoGen:Limits:DefaultTier</c>).</summary>
    public string? Tier { get; set; }

    /// <summary>An admin's per-user override of <c>MaxActiveVideos</c> (0 = unlimited); null inherits the tier's, then the default.</summary>
    public int? MaxActiveVideos { get; set; }

    /// <summary>An admin's per-user override of <c>SubmissionsPerMinute</c> (0 = unlimited); null inherits.</summary>
    public int? SubmissionsPerMinute { get; set; }

    /// <summary>An admin's per-user override of <c>DailyBudgetUsd</c> (0 = unlimited); null inherits.</summary>
    public decimal? DailyBudgetUsd { get; set; }
}
