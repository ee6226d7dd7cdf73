using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Hosting;

/// <summary>Ready = the app database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<AppDbContext> dbs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.Videos.AnyAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}

/// <summary>Ready = the queue store answers a count query.</summary>
internal sealed class QueueHealthCheck(VideoJobs jobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await jobs.Queue.CountsAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}

internal static class HealthRegistration
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddVideoGenHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<QueueHealthCheck>("queue", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapVideoGenHealthChecks(this IEndpointRouteBuilder app)
    {
        // Live: the process serves HTTP. Ready: it can also reach its database and queue.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}
