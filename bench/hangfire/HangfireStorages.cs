using Hangfire;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;
using Hangfire.Storage.SQLite;

namespace VideoGen.Bench.Hangfire;

/// <summary>The three storages measured, each with its package defaults except where noted.</summary>
public static class HangfireStorages
{
    /// <summary>
    /// Hangfire.Storage.SQLite polls its queue table (default every 15 s). We give it 100 ms so the
    /// pickup probe finishes in bounded time; that is far kinder than its default.
    /// </summary>
    public static readonly TimeSpan SqlitePollInterval = TimeSpan.FromMilliseconds(100);

    public static JobStorage Create(string kind, string runId, string redis, string dataDir) => kind switch
    {
        "inmemory" => new InMemoryStorage(new InMemoryStorageOptions()),
        "sqlite" => new SQLiteStorage(
            Path.Combine(dataDir, $"hangfire-{runId}.db"),
            new SQLiteStorageOptions { QueuePollInterval = SqlitePollInterval }),
        "redis" => new RedisStorage(redis, new RedisStorageOptions { Prefix = $"{{hf-{runId}}}:" }),
        _ => throw new ArgumentException($"--storage must be inmemory, sqlite or redis, not '{kind}'"),
    };
}
