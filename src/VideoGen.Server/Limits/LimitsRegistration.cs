using Microsoft.Extensions.Options;

namespace VideoGen.Server.Limits;

/// <summary>
/// Limits, tiers and idempotency. <see cref="AddLimits"/> (every process): options, validated at start.
/// <see cref="AddLimitsWeb"/> (serve): the per-user limit lookups, the submission gate, the rate limiter policy,
/// idempotency keys and their sweeper. <see cref="UseLimits"/>: after authentication and authorization.
/// </summary>
public static class LimitsRegistration
{
    public static IServiceCollection AddLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TiersOptions>().BindConfiguration(TiersOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TiersOptions>, TiersOptionsValidator>();
        services.AddSingleton<Tiers>();
        return services;
    }

    public static IServiceCollection AddLimitsWeb(this IServiceCollection services)
    {
        services.AddSingleton<UserLimits>();
        services.AddSingleton<SpendLedger>();
        services.AddScoped<SubmissionGate>();
        services.AddSingleton<VideoPriority>();
        services.AddSingleton<IdempotencyStore>();
        services.AddHostedService<IdempotencyKeySweeper>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, SubmissionRateLimit>(SubmissionRateLimit.PolicyName);
        });
        return services;
    }

    public static IApplicationBuilder UseLimits(this IApplicationBuilder app)
    {
        app.UseMiddleware<SubmissionLimitResolver>();
        app.UseRateLimiter();
        return app;
    }
}
