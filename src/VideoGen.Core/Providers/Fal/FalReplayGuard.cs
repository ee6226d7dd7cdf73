using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Remembers verified deliveries (request id, timestamp, signature) for the timestamp tolerance window, so the same
/// signed delivery is accepted once: after the window the timestamp check refuses it anyway. Only verified deliveries
/// are recorded, so forgeries cannot fill it; it is bounded regardless. Per process: a replay sent to another server
/// process within the window is accepted there, which is harmless because a webhook only wakes a status poll.
/// </summary>
public sealed class FalReplayGuard(IOptionsMonitor<FalOptions> options, TimeProvider time)
{
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    /// <summary>True the first time this delivery is seen within the window; false for a replay.</summary>
    public bool TryRecord(string requestId, long timestamp, string signatureHex)
    {
        var now = time.GetUtcNow();
        Sweep(now);
        var key = string.Concat(requestId, "\n", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), "\n", signatureHex.ToLowerInvariant());
        // Kept until the timestamp leaves the window on either side.
        var forgetAt = DateTimeOffset.FromUnixTimeSeconds(timestamp) + options.CurrentValue.WebhookTolerance + TimeSpan.FromSeconds(1);
        if (seen.Count >= MaxEntries)
        {
            // Full of in-window deliveries: refuse rather than forget (a refused valid webhook only costs latency).
            return false;
        }

        return seen.TryAdd(key, forgetAt);
    }

    public int Count => seen.Count;

    private void Sweep(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond * 10 && seen.Count < MaxEntries)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (key, forgetAt) in seen)
        {
            if (forgetAt <= now)
            {
                seen.TryRemove(key, out _);
            }
        }
    }
}
