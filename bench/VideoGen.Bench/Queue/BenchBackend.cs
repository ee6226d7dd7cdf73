using StackExchange.Redis;
using VideoGen.Queue;
using VideoGen.Queue.Redis;
using VideoGen.Queue.Sqlite;

namespace VideoGen.Bench.Queue;

/// <summary>
/// The store factory under test, opened exactly as the server opens it, plus (for Redis) a separate
/// connection that reads <c>INFO commandstats</c> so the probe does not queue behind the queue's calls.
/// SQLite gets a fresh database file per run, removed afterwards.
/// </summary>
public sealed class BenchBackend : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;
    private readonly ConnectionMultiplexer? _probe;
    private readonly string? _sqliteFile;

    private BenchBackend(IQueueStoreFactory stores, IAsyncDisposable owner, ConnectionMultiplexer? probe, string? sqliteFile, IReadOnlyDictionary<string, string> settings)
    {
        Stores = stores;
        _owner = owner;
        _probe = probe;
        _sqliteFile = sqliteFile;
        Settings = settings;
    }

    public IQueueStoreFactory Stores { get; }

    /// <summary>Where commandstats are read; null for SQLite.</summary>
    public IDatabase? Redis => _probe?.GetDatabase();

    public IReadOnlyDictionary<string, string> Settings { get; }

    public static async Task<BenchBackend> OpenAsync(QueueBenchOptions options, TimeProvider time)
    {
        if (options.Backend == "redis")
        {
            var factory = new RedisQueueStoreFactory(options.Redis, new RedisQueueOptions(), time);
            await factory.LoadScriptsAsync();
            var probe = await ConnectionMultiplexer.ConnectAsync(options.Redis + ",allowAdmin=true");
            return new BenchBackend(factory, factory, probe, null, new Dictionary<string, string> { ["redis"] = options.Redis });
        }

        Directory.CreateDirectory(options.DataDir);
        var file = Path.Combine(options.DataDir, $"videogen-bench-{Guid.NewGuid():N}.db");
        var sqlite = new SqliteQueueStoreFactory(file, options.SqliteFullSync);
        return new BenchBackend(sqlite, sqlite, null, file, new Dictionary<string, string>
        {
            ["sqlite_synchronous"] = options.SqliteFullSync ? "FULL" : "NORMAL (store default)",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync();
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }

        if (_sqliteFile is not null)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
    }
}
