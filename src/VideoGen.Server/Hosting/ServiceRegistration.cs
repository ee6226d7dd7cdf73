using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;
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
        services.AddAccounts();
        services.AddQueueBackend(configuration);
        services.AddVideoDomain(configuration);
        services.AddProviderSlots();
        services.AddSingleton<VideoJobs>();
        services.AddSingleton<IVideoJobs>(sp => sp.GetRequiredService<VideoJobs>());
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<VideoReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoReconciler>());
        services.AddSingleton<VideoAdminActions>();
        services.AddVideoGenHealthChecks();
        services.AddMediaHousekeeping();
        if (runWorkers)
        {
            services.AddVideoWorkers(configuration);
        }
        return builder;
    }

    /// <summary>
    /// The queue backend: SQLite file in DataDir (default) or Redis. A SQLite deployment never loads Redis code. Provider
    /// signals then ride on whatever cross-process notifications the backend offers.
    /// </summary>
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
                QueueWiring.AddRedis(services, redis);
            }
        }
        else
        {
            var dataDir = configuration.Peek<VideoGenOptions>(VideoGenOptions.Section).DataDirFullPath;
            QueueWiring.AddSqlite(services, Path.Combine(dataDir, "queue.db"));
        }
        QueueWiring.AddProviderSignals(services, queue.Name);
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
        // The worker is built before options validation runs; invalid settings are reported by that validation at start,
        // and the defaults stand in meanwhile so building the worker never throws first.
        QueueWiring.AddVideoWorker(services, workers.IsValid() ? workers : new WorkersOptions(), queue.Name);
        return services;
    }
}
