using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace VideoGen.Server.Limits;

/// <summary>
/// The configured tiers (<see cref="TiersOptions"/>) and the default one. A tier name is lowercase letters, digits and
/// dashes (at most 32); a user whose stored tier no longer exists in configuration is treated as the default tier.
/// </summary>
public sealed partial class Tiers(IOptions<TiersOptions> tiers, IOptions<LimitsOptions> limits)
{
    public const string Free = "free";
    public const string Pro = "pro";

    /// <summary>The tier names, highest priority first.</summary>
    public IReadOnlyList<string> Names => tiers.Value.OrderByDescending(t => t.Value.Priority).ThenBy(t => t.Key, StringComparer.Ordinal)
        .Select(t => t.Key.ToLowerInvariant()).ToList();

    public string DefaultName => limits.Value.DefaultTier.Trim().ToLowerInvariant();

    public bool Exists(string? name) => name is not null && tiers.Value.ContainsKey(name.Trim());

    /// <summary>The tier a user is in: their stored tier if it is configured, else the default tier.</summary>
    public (string Name, TierOptions Tier) Resolve(string? stored)
    {
        var name = Exists(stored) ? stored!.Trim().ToLowerInvariant() : DefaultName;
        return (name, tiers.Value.TryGetValue(name, out var tier) ? tier : new TierOptions());
    }

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>
/// Start-up checks of the tiers (names, ranges) and that <c>VideoGen:Limits:DefaultTier</c> names one of them. The default
/// tier is read as a value, not by resolving <see cref="LimitsOptions"/>, so validating one options class never binds the other.
/// </summary>
internal sealed class TiersOptionsValidator(IConfiguration configuration) : IValidateOptions<TiersOptions>
{
    public ValidateOptionsResult Validate(string? name, TiersOptions options)
    {
        var errors = new List<string>();
        foreach (var (tier, settings) in options)
        {
            if (!Tiers.IsValidName(tier))
            {
                errors.Add($"VideoGen:Tiers:{tier}: a tier name is lowercase letters, digits and dashes, at most 32 characters.");
            }
            if (settings.Priority is < -1000 or > 1000)
            {
                errors.Add($"VideoGen:Tiers:{tier}:Priority must be from -1000 to 1000.");
            }
            if (settings.MaxActiveVideos < 0 || settings.SubmissionsPerMinute < 0 || settings.DailyBudgetUsd < 0)
            {
                errors.Add($"VideoGen:Tiers:{tier}: limits must be 0 (unlimited) or more.");
            }
        }
        var defaultTier = configuration[$"{LimitsOptions.Section}:{nameof(LimitsOptions.DefaultTier)}"] ?? new LimitsOptions().DefaultTier;
        if (string.IsNullOrWhiteSpace(defaultTier) || !options.ContainsKey(defaultTier.Trim()))
        {
            errors.Add($"VideoGen:Limits:DefaultTier '{defaultTier}' is not a configured tier (VideoGen:Tiers: {string.Join(", ", options.Keys)}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
