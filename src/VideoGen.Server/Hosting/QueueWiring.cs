using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Queue.Hosting;
using VideoGen.Queue.Redis;
using VideoGen.Queue.Sqlite;
using VideoGen.Server.Options;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Hosting;

/// <summary>
/// The one place that calls the queue packages' registration methods. Each backend sits in its
/// own method so a SQLite-only process never JIT-compiles (and so never loads) the Redis assembly.
/// </summary>
internal static class QueueWiring
{
    public static void AddSqlite(IServiceCollection services, string path)
    {
        services.AddSqliteQueue(path);
        services.AddJobQueues();
    }

    /// <summary>
    /// Redis queue, plus provider signals over the same connection so a webhook received by one process wakes
    /// the job waiting in another. Call before <c>AddVideoGenCore</c>: its in-process default is only a TryAdd.
    /// </summary>
    public static void AddRedis(IServiceCollection services, string connectionString, string queueName)
    {
        services.AddRedisQueue(connectionString);
        services.AddJobQueues();
        services.TryAddSingleton<InProcessProviderSignals>();
        services.AddSingleton(sp => new RedisProviderSignals(
            sp.GetRequiredService<RedisQueueStoreFactory>().Connection,
            RedisProviderSignals.ChannelFor(queueName),
            sp.GetRequiredService<InProcessProviderSignals>(),
            sp.GetRequiredService<ILogger<RedisProviderSignals>>()));
        services.AddSingleton<IProviderSignals>(sp => sp.GetRequiredService<RedisProviderSignals>());
        // Registered before the workers' hosted service, so the subscription is live before any job waits.
        services.AddHostedService(sp => sp.GetRequiredService<RedisProviderSignals>());
    }

    /// <summary>A backend that cannot be built from the configuration: fails with the configuration message if ever used.</summary>
    public static void AddMisconfigured(IServiceCollection services)
    {
        services.AddSingleton<VideoGen.Queue.IQueueStoreFactory>(_ => throw new Microsoft.Extensions.Options.OptionsValidationException(
            Options.QueueOptions.Section, typeof(Options.QueueOptions), ["VideoGen:Queue:Backend is 'redis' but ConnectionStrings:Redis is empty; set ConnectionStrings:Redis."]));
        services.AddJobQueues();
    }

    /// <summary>The video worker, run with the validated <c>VideoGen:Workers</c> settings (<see cref="WorkersOptions"/>).</summary>
    public static void AddVideoWorker(IServiceCollection services, WorkersOptions workers, string queueName) =>
        services.AddQueueWorker<VideoJobHandler>(queueName, workers.ApplyTo);
}
