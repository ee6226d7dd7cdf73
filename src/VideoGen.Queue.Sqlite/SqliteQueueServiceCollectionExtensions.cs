using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Sqlite;

public static class SqliteQueueServiceCollectionExtensions
{
    /// <summary>
    /// Makes SQLite the queue backend: one file at <paramref name="databasePath"/> holding every queue.
    /// Call once; <c>AddJobQueues()</c> / <c>AddQueueWorker&lt;T&gt;()</c> then open queues from it.
    /// Also registers the <see cref="IWorkerDirectory"/> (a table in the same file) that workers announce themselves to.
    /// </summary>
    public static IServiceCollection AddSqliteQueue(this IServiceCollection services, string databasePath, bool fullSync = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new SqliteQueueStoreFactory(databasePath, fullSync));
        services.AddSingleton<IQueueStoreFactory>(sp => sp.GetRequiredService<SqliteQueueStoreFactory>());
        services.AddSingleton<IWorkerDirectory>(sp => new SqliteWorkerDirectory(sp.GetRequiredService<SqliteQueueStoreFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
