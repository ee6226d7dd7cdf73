using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Server.Apis;
using VideoGen.Server.Data;
using VideoGen.Server.Housekeeping;
using VideoGen.Server.Options;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Hosting;

/// <summary>
/// Everything a VideoGen process needs, for every role: options, app database, queue backend,
/// video domain, and (for <c>serve</c> with workers enabled, and <c>worker</c>) the in-process workers.
/// The backend and provider choices are made here, once.
/// </summary>
public static class ServiceRegistration
{
    public static IHostApplicationBuilder AddVideoGen(this IHostApplicationBuilder builder, bool runWorkers)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.TryAddSingleton(TimeProvider.System);
        services.AddVideoGenOptions();
        services.AddHostedService<MigrateOnStartService>();
        services.AddAppDatabase(configuration);
        services.AddQueueBackend(configuration);
        services.AddVideoDomain(configuration);
        services.AddSingleton<VideoJobs>();
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<VideoReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoReconciler>());
        services.AddVideoGenHealthChecks();
        services.AddMediaHousekeeping();
        if (runWorkers)
        {
            services.AddVideoWorkers(configuration);
        }
        return builder;
    }

    /// <summary>The queue backend: SQLite file in DataDir (default) or Redis. A SQLite deployment never loads Redis code.</summary>
    private static IServiceCollection AddQueueBackend(this IServiceCollection services, IConfiguration configuration)
    {
        var queue = configuration.Peek<QueueOptions>(QueueOptions.Section);
        var backend = queue.Backend?.Trim().ToLowerInvariant();
        if (backend == QueueOptions.Redis)
        {
            var redis = configuration.GetConnectionString("Redis");
            if (string.IsNullOrWhiteSpace(redis))
            {
                // Start-up validation reports the missing key; this stands in so the container still builds.
                QueueWiring.AddMisconfigured(services);
            }
            else
            {
                QueueWiring.AddRedis(services, redis, queue.Name);
            }
            return services;
        }
        var dataDir = configuration.Peek<VideoGenOptions>(VideoGenOptions.Section).DataDirFullPath;
        QueueWiring.AddSqlite(services, Path.Combine(dataDir, "queue.db"));
        return services;
    }

    /// <summary>The video domain from VideoGen.Core: model catalog, validator, media store, providers, pipeline.</summary>
    private static IServiceCollection AddVideoDomain(this IServiceCollection services, IConfiguration configuration)
    {
        CoreWiring.AddCore(services, configuration, configuration.Peek<VideoGenOptions>(VideoGenOptions.Section).DataDirFullPath);
        return services;
    }

    private static IServiceCollection AddVideoWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        var workers = configuration.Peek<WorkersOptions>(WorkersOptions.Section);
        var queue = configuration.Peek<QueueOptions>(QueueOptions.Section);
        // Out-of-range values are reported by options validation at start; clamp so registration itself never throws first.
        QueueWiring.AddVideoWorker(services, configuration.GetSection(WorkersOptions.Section), queue.Name, Math.Clamp(workers.Concurrency, 1, 10_000));
        return services;
    }
}
