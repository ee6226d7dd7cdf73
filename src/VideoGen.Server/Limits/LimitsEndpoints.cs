using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Limits;

/// <summary>How a route opts into limits and idempotency keys.</summary>
public static class LimitsEndpoints
{
    /// <summary>
    /// <c>POST /api/videos</c>: the per-user submissions-per-minute limit (rate limiter) and <c>Idempotency-Key</c>.
    /// The max-active and budget checks run inside the handler (<see cref="SubmissionGate"/>), after validation.
    /// </summary>
    public static RouteHandlerBuilder WithSubmissionLimits(this RouteHandlerBuilder route) => route
        .RequireRateLimiting(SubmissionRateLimit.PolicyName)
        .WithIdempotencyKeys(IdempotencyScopes.Videos, sp => sp.GetRequiredService<IOptions<VideoGenOptions>>().Value.MaxJsonBodyBytes);

    public static RouteHandlerBuilder WithIdempotencyKeys(this RouteHandlerBuilder route, string scope, int maxBodyBytes) =>
        route.WithIdempotencyKeys(scope, _ => maxBodyBytes);

    public static RouteHandlerBuilder WithIdempotencyKeys(this RouteHandlerBuilder route, string scope, Func<IServiceProvider, int> maxBodyBytes) =>
        route.AddEndpointFilter(new IdempotencyFilter(scope, maxBodyBytes));
}
