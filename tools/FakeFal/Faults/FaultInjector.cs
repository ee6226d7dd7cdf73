using FakeFal.Options;
using FakeFal.Stats;

namespace FakeFal.Faults;

/// <summary>Rolls the configured fault rates and counts every fault it injects in the stats.</summary>
public sealed class FaultInjector(RuntimeSettings settings, FakeFalStats stats)
{
    private static readonly int[] ServerErrors = [500, 502, 503];

    public FaultOptions Current => settings.Current.Faults;

    public TransportDecision Decide(string route)
    {
        var f = Current;
        var delay = TimeSpan.Zero;
        if (Roll(f.Effective(route, x => x.SlowRate, 0)))
        {
            delay = f.Effective(route, x => x.SlowDelay, TimeSpan.FromSeconds(3));
            stats.CountFault("slow", route);
        }

        if (Roll(f.Effective(route, x => x.DropRate, 0)))
        {
            stats.CountFault("drop", route);
            return new TransportDecision(TransportFault.Drop, delay);
        }

        if (Roll(f.Effective(route, x => x.RateLimitRate, 0)))
        {
            stats.CountFault("rate_limit", route);
            return new TransportDecision(TransportFault.RateLimit, delay, 429, f.Effective(route, x => x.RetryAfterSeconds, 1));
        }

        if (Roll(f.Effective(route, x => x.ServerErrorRate, 0)))
        {
            var configured = f.EffectiveRef(route, x => x.ServerErrorStatusCodes, ServerErrors).Where(c => c is >= 500 and <= 599).ToArray();
            var codes = configured.Length > 0 ? configured : ServerErrors;
            var html = string.Equals(f.EffectiveRef(route, x => x.ServerErrorBody, "json"), "html", StringComparison.OrdinalIgnoreCase);
            var afterAccept = f.Effective(route, x => x.ServerErrorAfterAccept, false);
            stats.CountFault(afterAccept ? "server_error_after_accept" : "server_error", route);
            return new TransportDecision(TransportFault.ServerError, delay, codes[Random.Shared.Next(codes.Length)], HtmlBody: html, AfterAccept: afterAccept);
        }

        if (Roll(f.Effective(route, x => x.MalformedJsonRate, 0)))
        {
            stats.CountFault("malformed_json", route);
            return new TransportDecision(TransportFault.MalformedJson, delay);
        }

        if (Roll(f.Effective(route, x => x.StallRate, 0)))
        {
            stats.CountFault("stall", route);
            return new TransportDecision(TransportFault.Stall, delay, StallDelay: f.Effective(route, x => x.StallDelay, TimeSpan.FromMinutes(5)));
        }

        return delay > TimeSpan.Zero ? new TransportDecision(TransportFault.None, delay) : TransportDecision.Clean;
    }

    /// <summary>Rolls an outcome fault (error result, expiry, webhook faults) and counts it when hit.</summary>
    public bool Hit(string kind, double rate, string route)
    {
        if (!Roll(rate))
        {
            return false;
        }

        stats.CountFault(kind, route);
        return true;
    }

    private static bool Roll(double rate) => rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);
}
