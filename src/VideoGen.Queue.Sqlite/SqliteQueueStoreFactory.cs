using System.Collections.Concurrent;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// Opens queues in one SQLite file. All queues share one writer connection, so this process never
/// contends with itself for the file's write lock. Register with <c>services.AddSqliteQueue(path)</c>.
/// </summary>
public sealed class SqliteQueueStoreFactory : IQueueStoreFactory, IAsyncDisposable
{
    private readonly Lazy<SqliteQueueDatabase> _db;
    private readonly ConcurrentDictionary<string, SqliteQueueStore> _stores = new(StringComparer.Ordinal);

    /// <param name="databasePath">The queue database file; created (with its directory) and migrated on first use.</param>
    /// <param name="fullSync">Fsync every commit (<c>synchronous=FULL</c>): survives power loss, much slower. <value>The default value is false.</value></param>
    public SqliteQueueStoreFactory(string databasePath, bool fullSync = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _db = new Lazy<SqliteQueueDatabase>(() => SqliteQueueDatabase.Open(DatabasePath, fullSync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string DatabasePath { get; }

    /// <summary>The shared database (opened on first use), so other features of this file (the worker directory) use the same writer.</summary>
    internal SqliteQueueDatabase Database => _db.Value;

    public IQueueStore Open(string queueName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return _stores.GetOrAdd(queueName, name => new SqliteQueueStore(_db.Value, name, ownsDatabase: false));
    }

    /// <summary>Closes the database once its write and read in progress are done (waiting asynchronously).</summary>
    public ValueTask DisposeAsync() => _db.IsValueCreated ? _db.Value.DisposeAsync() : ValueTask.CompletedTask;
}
