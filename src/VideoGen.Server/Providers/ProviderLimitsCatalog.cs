using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Providers.Slots;
using VideoGen.Server.Data;

namespace VideoGen.Server.Providers;

/// <summary>
/// Each provider's limits in force: an admin's override from the app database when there is one, else the provider's
/// configuration. Every machine reads the same row, at most <see cref="RefreshInterval"/> old, so an admin's change
/// reaches every worker within that time, with no message to lose.
/// </summary>
public sealed class ProviderLimitsCatalog(IDbContextFactory<AppDbContext> dbs, IEnumerable<ConfiguredProviderLimits> configured, TimeProvider time)
{
    /// <summary>How stale a machine's copy of the limits may be.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, ProviderLimits> _configured = configured
        .GroupBy(c => c.Provider, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last().Limits, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, (EffectiveProviderLimits Limits, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>Providers that have limits to show or change (those that register configured limits).</summary>
    public IReadOnlyCollection<string> Providers => _configured.Keys;

    public bool IsKnown(string provider) => _configured.ContainsKey(provider);

    /// <summary>The limits in force for <paramref name="provider"/> (none for a provider without configured limits).</summary>
    public async Task<EffectiveProviderLimits> GetAsync(string provider, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(provider, out var cached) && now - cached.ReadAt < RefreshInterval)
        {
            return cached.Limits;
        }

        var fresh = await ReadAsync(provider, ct);
        _cache[provider] = (fresh, now);
        return fresh;
    }

    /// <summary>Overrides <paramref name="provider"/>'s configured limits on every machine.</summary>
    public async Task<EffectiveProviderLimits> SetAsync(string provider, ProviderLimits limits, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.ProviderLimits.FirstOrDefaultAsync(l => l.Provider == provider, ct);
        if (row is null)
        {
            row = new ProviderLimitsRow { Provider = provider };
            db.ProviderLimits.Add(row);
        }

        row.MaxConcurrent = limits.MaxConcurrent;
        row.MaxSubmitsPerMinute = limits.MaxSubmitsPerMinute;
        row.ModelsJson = JsonSerializer.Serialize(limits.Models);
        row.UpdatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        _cache.TryRemove(provider, out _);
        return await GetAsync(provider, ct);
    }

    /// <summary>Drops the override: the configuration's limits apply again, on every machine.</summary>
    public async Task<EffectiveProviderLimits> ResetAsync(string provider, CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await db.ProviderLimits.Where(l => l.Provider == provider).ExecuteDeleteAsync(ct);
        }

        _cache.TryRemove(provider, out _);
        return await GetAsync(provider, ct);
    }

    private async Task<EffectiveProviderLimits> ReadAsync(string provider, CancellationToken ct)
    {
        if (!_configured.TryGetValue(provider, out var fromConfiguration))
        {
            return new EffectiveProviderLimits(ProviderLimits.None, SetByAdmin: false);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.ProviderLimits.AsNoTracking().FirstOrDefaultAsync(l => l.Provider == provider, ct);
        if (row is null)
        {
            return new EffectiveProviderLimits(fromConfiguration, SetByAdmin: false);
        }

        var models = JsonSerializer.Deserialize<Dictionary<string, int>>(row.ModelsJson) ?? [];
        return new EffectiveProviderLimits(new ProviderLimits(row.MaxConcurrent, row.MaxSubmitsPerMinute, models), SetByAdmin: true);
    }
}

/// <summary>A provider's limits in force, and whether an admin set them (else they come from configuration).</summary>
public sealed record EffectiveProviderLimits(ProviderLimits Limits, bool SetByAdmin);
