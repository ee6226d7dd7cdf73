using System.Collections.Concurrent;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// Opens Redis-backed queues over one long-lived <see cref="IConnectionMultiplexer"/> shared by every
/// queue of the process. The connection never gives up: <c>AbortOnConnectFail=false</c> and a short
/// reconnect policy, so a Redis restart or a dropped connection is survived by reconnecting.
/// </summary>
public sealed class RedisQueueStoreFactory : IQueueStoreFactory, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly RedisScriptRunner _scripts;
    private readonly RedisQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, RedisQueueStore> _stores = new(StringComparer.Ordinal);

    /// <summary>Connects to <paramref name="connectionString"/> (StackExchange.Redis syntax, e.g. <c>localhost:6379</c>).</summary>
    public RedisQueueStoreFactory(string connectionString, RedisQueueOptions? options = null, TimeProvider? time = null)
        : this(ConnectionMultiplexer.Connect(Configure(connectionString)), options, time, ownsConnection: true)
    {
    }

    /// <summary>Uses a connection the caller owns (and disposes).</summary>
    public RedisQueueStoreFactory(IConnectionMultiplexer redis, RedisQueueOptions? options = null, TimeProvider? time = null)
        : this(redis, options, time, ownsConnection: false)
    {
    }

    private RedisQueueStoreFactory(IConnectionMultiplexer redis, RedisQueueOptions? options, TimeProvider? time, bool ownsConnection)
    {
        _redis = redis;
        _ownsConnection = ownsConnection;
        _scripts = new RedisScriptRunner(redis);
        _options = options ?? new RedisQueueOptions();
        _time = time ?? TimeProvider.System;
    }

    public IConnectionMultiplexer Connection => _redis;

    public IQueueStore Open(string queueName) => OpenRedis(queueName);

    /// <summary>The same store as <see cref="Open"/>, typed.</summary>
    public RedisQueueStore OpenRedis(string queueName) =>
        _stores.GetOrAdd(queueName, name => new RedisQueueStore(name, _redis, _scripts, _options, _time));

    /// <summary>Loads every script into Redis now (otherwise each loads on first use).</summary>
    public Task LoadScriptsAsync() => _scripts.LoadAllAsync();

    /// <summary>The connection settings this backend relies on to ride through faults.</summary>
    public static ConfigurationOptions Configure(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        options.ConnectRetry = Math.Max(options.ConnectRetry, 5);
        options.KeepAlive = options.KeepAlive > 0 ? options.KeepAlive : 5;
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsConnection)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }
}
