using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Redis;

public static class RedisQueueServiceCollectionExtensions
{
    /// <summary>
    /// Makes Redis the queue backend: registers <see cref="IQueueStoreFactory"/> as a
    /// <see cref="RedisQueueStoreFactory"/> holding one long-lived connection to <paramref name="connectionString"/>, and on
    /// that connection the worker directory and cross-process <see cref="IQueueNotifications"/>.
    /// Only this assembly knows Redis, so a SQLite-only deployment never loads it.
    /// </summary>
    public static IServiceCollection AddRedisQueue(this IServiceCollection services, string connectionString, Action<RedisQueueOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new RedisQueueOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RedisQueueStoreFactory(connectionString, options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IQueueStoreFactory>(sp => sp.GetRequiredService<RedisQueueStoreFactory>());
        services.AddSingleton<IWorkerDirectory>(sp => new RedisWorkerDirectory(sp.GetRequiredService<RedisQueueStoreFactory>().Connection, options.KeyPrefix, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IQueueNotifications>(sp => new RedisQueueNotifications(sp.GetRequiredService<RedisQueueStoreFactory>().Connection, options.KeyPrefix, sp.GetService<ILogger<RedisQueueNotifications>>()));
        return services;
    }
}
