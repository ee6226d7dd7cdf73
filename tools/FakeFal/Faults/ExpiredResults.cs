using FakeFal.Queue;
using FakeFal.Stats;

namespace FakeFal.Faults;

/// <summary>
/// The expired-result fault (<c>Faults:ExpiredResultRate</c>): a successful request keeps no
/// retention at all, so every status or result call after completion finds it gone (404), as after
/// fal's retention window. Recorded per request in the stats (<c>result_expired_by_fault</c>), so a
/// chaos ledger can tell a result the provider lost from one the caller failed to fetch.
/// </summary>
public static class ExpiredResults
{
    /// <summary>The retention a completing request gets: <paramref name="normal"/>, or zero when the fault hits.</summary>
    public static TimeSpan Retention(FaultInjector faults, FakeFalStats stats, FalRequest request, bool succeeded, TimeSpan normal)
    {
        if (!succeeded || !faults.Hit("expired_result", faults.Current.ExpiredResultRate, "result"))
        {
            return normal;
        }

        stats.RecordResultExpiredByFault(request.Id);
        return TimeSpan.Zero;
    }
}
