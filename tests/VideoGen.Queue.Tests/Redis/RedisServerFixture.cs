using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>
/// One redis-server per test class (tests isolate by queue name) plus one store factory over it.
/// Tests that kill or restart Redis start their own <see cref="RedisServer"/> instead.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private RedisQueueStoreFactory? _factory;

    public RedisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public RedisQueueStoreFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _factory = new RedisQueueStoreFactory(_server.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A queue name no other test uses.</summary>
    public static string NewQueueName(string hint) => $"{hint}-{Guid.NewGuid():N}"[..Math.Min(hint.Length + 13, 60)];
}
