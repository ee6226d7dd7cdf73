using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Events;
using VideoGen.Server.Queueing;
using VideoGen.Server.Security;

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

/// <summary>
/// Ready = ffmpeg runs (<c>ffmpeg -version</c> exits 0): without it no video is ingested. A success is trusted for
/// <see cref="SuccessKept"/>, so readiness probes do not start a process each time nor wait behind busy ingests.
/// </summary>
internal sealed class FfmpegHealthCheck(ProcessRunner runner, IOptions<FfmpegOptions> options, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan SuccessKept = TimeSpan.FromMinutes(5);

    private DateTimeOffset? _lastSuccess;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_lastSuccess is { } at && time.GetUtcNow() - at < SuccessKept)
        {
            return HealthCheckResult.Healthy();
        }
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(options.Value.FfmpegPath, ["-hide_banner", "-version"], TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("ffmpeg could not be run (VideoGen:Ffmpeg:FfmpegPath).");
        }
        if (result.ExitCode != 0)
        {
            return HealthCheckResult.Unhealthy("ffmpeg -version failed (VideoGen:Ffmpeg:FfmpegPath).");
        }
        _lastSuccess = time.GetUtcNow();
        return HealthCheckResult.Healthy();
    }
}

internal static class HealthRegistration
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddVideoGenHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<FfmpegHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<QueueHealthCheck>("queue", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<FfmpegHealthCheck>("ffmpeg", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10));
        return services;
    }

    public static IEndpointRouteBuilder MapVideoGenHealthChecks(this IEndpointRouteBuilder app)
    {
        // Live: the process serves HTTP (no check runs). Ready: it can also reach its database and queue, run ffmpeg
        // and has free disk space ("disk", registered with the disk guard).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    /// <summary>
    /// <c>{"status": "Healthy", "checks": [{"name": "database", "status": "Healthy"}, …]}</c>: names and statuses only,
    /// never a check's description or exception (they may name paths or addresses). Admins also get
    /// <c>detail</c>: the open event streams, the pump's subscribers and the video rows the pump has read.
    /// </summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var checks = report.Entries.Select(e => new HealthEntry(e.Key, e.Value.Status.ToString())).ToList();
        HealthDetail? detail = null;
        if (context.User.IsInRole(Roles.Admin))
        {
            var services = context.RequestServices;
            detail = new HealthDetail(
                services.GetRequiredService<EventStreamLimiter>().Open,
                services.GetService<VideoEventHub>()?.Subscribers ?? 0,
                services.GetService<VideoEventPump>()?.RowsRead ?? 0);
        }
        return JsonSerializer.SerializeAsync(context.Response.Body, new HealthAnswer(report.Status.ToString(), checks, detail), JsonSerializerOptions.Web, context.RequestAborted);
    }

    private sealed record HealthAnswer(string Status, IReadOnlyList<HealthEntry> Checks, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] HealthDetail? Detail);

    private sealed record HealthEntry(string Name, string Status);

    private sealed record HealthDetail(int EventStreamsOpen, int EventSubscribers, long EventRowsRead);
}
