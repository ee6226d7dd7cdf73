using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Limits;

/// <summary>
/// One owner's spend, read from the Video rows: <see cref="VideoGen.Core.Videos.Video.SpentCostUsd"/> summed by the
/// UTC day and month of <see cref="VideoGen.Core.Videos.Video.SubmittedAt"/>, and the estimated cost of their videos not
/// yet submitted (still to be paid). Days reset at UTC midnight. Sums are taken in memory: SQLite cannot sum decimals,
/// and one owner's rows in a month are few.
/// </summary>
public sealed class SpendLedger(IDbContextFactory<AppDbContext> contexts)
{
    public async Task<Spend> ForAsync(string ownerId, DateTimeOffset now, CancellationToken ct)
    {
        var utc = now.ToUniversalTime();
        var dayStart = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        var monthStart = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var spent = await db.Videos.AsNoTracking()
            .Where(v => v.UserId == ownerId && v.SubmittedAt >= monthStart && v.SpentCostUsd != null)
            .Select(v => new { v.SubmittedAt, v.SpentCostUsd })
            .ToListAsync(ct);
        var pending = await db.Videos.AsNoTracking()
            .Where(v => v.UserId == ownerId && v.SpentCostUsd == null && v.EstimatedCostUsd != null
                && v.Status != VideoStatus.Succeeded && v.Status != VideoStatus.Failed && v.Status != VideoStatus.Canceled)
            .Select(v => v.EstimatedCostUsd)
            .ToListAsync(ct);
        return new Spend(
            spent.Where(s => s.SubmittedAt >= dayStart).Sum(s => s.SpentCostUsd!.Value),
            spent.Sum(s => s.SpentCostUsd!.Value),
            pending.Sum(p => p!.Value),
            dayStart.AddDays(1));
    }
}

/// <summary>Spent today and this month (UTC), the estimate of what is still to be paid, and when today's spend resets.</summary>
public sealed record Spend(decimal TodayUsd, decimal MonthUsd, decimal PendingUsd, DateTimeOffset ResetsAt);
