using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Queue;
using VideoGen.Queue.Hosting;
using VideoGen.Queue.Redis;
using VideoGen.Queue.Sqlite;
using VideoGen.Server.Options;

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

    /// <summary>The Redis queue; it also offers cross-process notifications (see <see cref="AddProviderSignals"/>).</summary>
    public static void AddRedis(IServiceCollection services, string connectionString)
    {
        services.AddRedisQueue(connectionString);
        services.AddJobQueues();
    }

    /// <summary>
    /// Provider signals cross processes when the backend registered <see cref="IQueueNotifications"/> (Redis does), so a
    /// webhook received by one process wakes the job waiting in another; otherwise Core's in-process default stays. Call
    /// after the backend and before <c>AddVideoGenCore</c> (its default is only a TryAdd) and the workers (the
    /// subscription, a hosted service, is then live before any job waits).
    /// </summary>
    public static void AddProviderSignals(IServiceCollection services, string queueName)
    {
        if (!services.Any(d => d.ServiceType == typeof(IQueueNotifications)))
        {
            return;
        }
        services.TryAddSingleton<InProcessProviderSignals>();
        services.AddSingleton(sp => new CrossProcessProviderSignals(
            sp.GetRequiredService<IQueueNotifications>().Open(queueName, CrossProcessProviderSignals.ChannelName),
            sp.GetRequiredService<InProcessProviderSignals>()));
        services.AddSingleton<IProviderSignals>(sp => sp.GetRequiredService<CrossProcessProviderSignals>());
        services.AddHostedService(sp => sp.GetRequiredService<CrossProcessProviderSignals>());
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
