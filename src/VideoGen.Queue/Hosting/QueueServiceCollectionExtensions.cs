using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Hosting;

/// <summary>
/// Registration of queue producers and workers. The backend (an <see cref="IQueueStoreFactory"/>) is
/// registered separately, once, e.g. by <c>AddSqliteQueue(path)</c> or the Redis equivalent.
/// </summary>
public static class QueueServiceCollectionExtensions
{
    /// <summary>Registers <see cref="JobQueues"/> so callers can get a <see cref="JobQueue"/> by name.</summary>
    public static IServiceCollection AddJobQueues(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new JobQueues(sp.GetRequiredService<IQueueStoreFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Runs a <see cref="QueueWorker"/> for <paramref name="queueName"/> as a hosted service. Each job
    /// gets its own DI scope, and <typeparamref name="THandler"/> is resolved from it (registered as
    /// scoped unless already registered), so handlers may use scoped services such as a DbContext.
    /// The worker announces itself to the backend's <see cref="IWorkerDirectory"/> when one is registered.
    /// </summary>
    public static IServiceCollection AddQueueWorker<THandler>(this IServiceCollection services, string queueName, Action<QueueWorkerOptions>? configure = null)
        where THandler : class, IJobHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        services.AddJobQueues();
        services.TryAddScoped<THandler>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var options = new QueueWorkerOptions();
            configure?.Invoke(options);
            return new QueueWorkerHostedService(
                queueName,
                options,
                sp.GetRequiredService<IQueueStoreFactory>(),
                new ScopedJobHandler<THandler>(sp.GetRequiredService<IServiceScopeFactory>()),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                sp.GetService<IWorkerDirectory>());
        });
        return services;
    }
}
