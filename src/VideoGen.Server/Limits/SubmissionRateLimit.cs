using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using VideoGen.Server.Accounts;

namespace VideoGen.Server.Limits;

/// <summary>
/// Submissions per minute, through ASP.NET Core's rate limiter: one fixed one-minute window per owner (partition key =
/// owner and their limit, so a changed limit takes effect with a fresh window). Rejected requests get 429, a
/// <c>Retry-After</c> header and a problem naming the limit. Windows live in each API server's memory: behind a load
/// balancer of N servers a user may get up to N × the limit. The caller's limit is resolved before the limiter runs
/// (<see cref="SubmissionLimitResolver"/>), since a partition must be chosen without waiting.
/// </summary>
public sealed class SubmissionRateLimit : IRateLimiterPolicy<string>
{
    public const string PolicyName = "submissions";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => WriteRejectionAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limit = httpContext.Features.Get<ResolvedSubmissionLimit>();
        if (limit?.PerMinute is not { } perMinute)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }
        return RateLimitPartition.GetFixedWindowLimiter($"{limit.OwnerId}|{perMinute}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
        var perMinute = http.Features.Get<ResolvedSubmissionLimit>()?.PerMinute;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many submissions",
                Detail = $"Your limit (submissionsPerMinute) is {perMinute} videos a minute; try again in {seconds} seconds.",
                Extensions = { ["limit"] = "submissionsPerMinute", ["submissionsPerMinute"] = perMinute, ["retryAfterSeconds"] = seconds },
            },
        });
    }
}

/// <summary>The caller's submissions-per-minute limit, resolved for this request (null: unlimited).</summary>
public sealed record ResolvedSubmissionLimit(string OwnerId, int? PerMinute);

/// <summary>
/// Before the rate limiter: for an endpoint under <see cref="SubmissionRateLimit"/> and an authenticated caller, looks up
/// the caller's limit (one query) and hands it to the policy as a request feature.
/// </summary>
public sealed class SubmissionLimitResolver(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, UserLimits limits)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == SubmissionRateLimit.PolicyName
            && context.User.Identity?.IsAuthenticated == true)
        {
            var owner = context.RequestServices.GetRequiredService<CurrentOwner>();
            var effective = await limits.ForAsync(owner.Id, owner.IsAdmin, context.RequestAborted);
            context.Features.Set(new ResolvedSubmissionLimit(owner.Id, effective.SubmissionsPerMinute));
        }
        await next(context);
    }
}
