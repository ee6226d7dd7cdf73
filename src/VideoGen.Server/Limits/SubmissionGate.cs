using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoGen.Server.Accounts;

namespace VideoGen.Server.Limits;

/// <summary>
/// What <c>POST /api/videos</c> asks before it stores anything: may this caller add one more video (max active videos),
/// and does its estimated cost fit today's budget? The budget rule: spent today + the estimated cost of the caller's
/// videos not yet submitted + this video's estimate must not exceed the daily budget, so a burst of submissions cannot
/// overshoot it before any of them is paid. Answers the queue priority for the new video (the caller's tier).
/// </summary>
/// <remarks>
/// The checks read, then the handler writes: two requests of one user at the same instant may both pass. The per-minute
/// rate limit bounds such bursts; the budget can be exceeded by at most the estimates of requests that raced.
/// </remarks>
public sealed class SubmissionGate(UserLimits limits, SpendLedger ledger, TimeProvider time)
{
    public async Task<GateVerdict> CheckAsync(CurrentOwner owner, decimal? estimatedCostUsd, HttpResponse response, CancellationToken ct)
    {
        var effective = await limits.ForAsync(owner.Id, owner.IsAdmin, ct);
        if (effective.Exempt)
        {
            return new GateVerdict(effective.Priority, null);
        }
        var ownerId = owner.Id;
        if (effective.MaxActiveVideos is { } maxActive)
        {
            var active = await limits.ActiveVideosAsync(ownerId, ct);
            if (active >= maxActive)
            {
                return new GateVerdict(effective.Priority, TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many active videos",
                    detail: $"You have {active} unfinished videos; your limit (maxActiveVideos) is {maxActive}. Wait for some to finish or cancel them.",
                    extensions: new Dictionary<string, object?> { ["limit"] = "maxActiveVideos", ["maxActiveVideos"] = maxActive, ["activeVideos"] = active }));
            }
        }
        if (effective.DailyBudgetUsd is { } budget && estimatedCostUsd is > 0m)
        {
            var now = time.GetUtcNow();
            var spend = await ledger.ForAsync(ownerId, now, ct);
            if (spend.TodayUsd + spend.PendingUsd + estimatedCostUsd.Value > budget)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((spend.ResetsAt - now).TotalSeconds));
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new GateVerdict(effective.Priority, TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Daily budget exceeded",
                    detail: string.Create(CultureInfo.InvariantCulture,
                        $"This video's estimated cost (${estimatedCostUsd:0.00##}) does not fit your daily budget (dailyBudgetUsd) of ${budget:0.00##}: "
                        + $"${spend.TodayUsd:0.00##} spent today and ${spend.PendingUsd:0.00##} reserved for videos not yet submitted. The budget resets at {spend.ResetsAt:yyyy-MM-dd'T'HH:mm:ss'Z'}."),
                    extensions: new Dictionary<string, object?>
                    {
                        ["limit"] = "dailyBudgetUsd",
                        ["dailyBudgetUsd"] = budget,
                        ["spentTodayUsd"] = spend.TodayUsd,
                        ["pendingUsd"] = spend.PendingUsd,
                        ["estimatedCostUsd"] = estimatedCostUsd.Value,
                        ["resetsAt"] = spend.ResetsAt,
                    }));
            }
        }
        return new GateVerdict(effective.Priority, null);
    }
}

/// <summary>The queue priority for the new video, or the problem that refuses it.</summary>
public sealed record GateVerdict(int Priority, ProblemHttpResult? Refusal);
