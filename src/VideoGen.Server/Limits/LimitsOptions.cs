using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Limits;

/// <summary>
/// Settings under <c>VideoGen:Limits</c>: what one user may do, unless their tier (<c>VideoGen:Tiers:&lt;name&gt;</c>) or an
/// admin's per-user override says otherwise. 0 means unlimited. Limits apply to accounts that are not admins; admins and
/// single-user mode's local owner (the operator) are not limited.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "VideoGen:Limits";

    /// <summary>Unfinished videos (any status but succeeded, failed, canceled) one user may have; beyond it 429. <value>The default value is 20.</value></summary>
    [Range(0, 1_000_000, ErrorMessage = "VideoGen:Limits:MaxActiveVideos must be from 0 (unlimited) to 1000000.")]
    public int MaxActiveVideos { get; set; } = 20;

    /// <summary>Video submissions (<c>POST /api/videos</c>) one user may make per minute, per API server; beyond it 429 with Retry-After. <value>The default value is 30.</value></summary>
    [Range(0, 100_000, ErrorMessage = "VideoGen:Limits:SubmissionsPerMinute must be from 0 (unlimited) to 100000.")]
    public int SubmissionsPerMinute { get; set; } = 30;

    /// <summary>US dollars of estimated provider cost one user may spend per UTC day; a video that would exceed it is refused. <value>The default value is 20.</value></summary>
    [Range(typeof(decimal), "0", "1000000", ErrorMessage = "VideoGen:Limits:DailyBudgetUsd must be from 0 (unlimited) to 1000000.")]
    public decimal DailyBudgetUsd { get; set; } = 20m;

    /// <summary>The tier of accounts an admin has not placed in one, and of the local owner. <value>The default value is free.</value></summary>
    [Required(ErrorMessage = "VideoGen:Limits:DefaultTier must name a tier.")]
    public string DefaultTier { get; set; } = Tiers.Free;
}

/// <summary>
/// One tier under <c>VideoGen:Tiers:&lt;name&gt;</c>: its queue priority and, optionally, its own default limits (unset
/// inherits <c>VideoGen:Limits</c>).
/// </summary>
public sealed class TierOptions
{
    /// <summary>Queue priority of the tier's videos: higher tiers start first. <value>The default value is 0.</value></summary>
    [Range(-1000, 1000, ErrorMessage = "A tier's Priority must be from -1000 to 1000.")]
    public int Priority { get; set; }

    /// <summary>The tier's <c>MaxActiveVideos</c> (0 = unlimited). <value>The default value is null (inherit VideoGen:Limits).</value></summary>
    [Range(0, 1_000_000)]
    public int? MaxActiveVideos { get; set; }

    /// <summary>The tier's <c>SubmissionsPerMinute</c> (0 = unlimited). <value>The default value is null (inherit VideoGen:Limits).</value></summary>
    [Range(0, 100_000)]
    public int? SubmissionsPerMinute { get; set; }

    /// <summary>The tier's <c>DailyBudgetUsd</c> (0 = unlimited). <value>The default value is null (inherit VideoGen:Limits).</value></summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? DailyBudgetUsd { get; set; }
}

/// <summary>
/// The tiers, by name (<c>VideoGen:Tiers</c>). <c>free</c> (priority 0) and <c>pro</c> (priority 10) always exist;
/// configuration changes them or adds more.
/// </summary>
public sealed class TiersOptions : Dictionary<string, TierOptions>
{
    public const string Section = "VideoGen:Tiers";

    public TiersOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
        this[Tiers.Free] = new TierOptions { Priority = 0 };
        this[Tiers.Pro] = new TierOptions { Priority = 10 };
    }
}
