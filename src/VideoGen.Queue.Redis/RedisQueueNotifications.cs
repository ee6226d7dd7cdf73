using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// <see cref="IQueueNotifications"/> over Redis pub/sub, on the backend's one long-lived connection (it opens none of
/// its own). A channel is named in the queue's key style with its hash tag, <c>{prefix}:{queue}:{channel}</c>
/// (<c>vgq:{videos}:provider-signals</c>), so processes serving one queue share it. A message travels as
/// <c>{origin}\n{message}</c>, where origin identifies this instance (one per process), so a process skips its own.
/// </summary>
/// <remarks>
/// Pub/sub is at most once: a message published while a subscriber is disconnected, or a publish that fails, is lost.
/// A subscription lives in the multiplexer's registry, so StackExchange.Redis subscribes again by itself after every
/// reconnect (also when the first SUBSCRIBE failed because Redis was down).
/// </remarks>
public sealed class RedisQueueNotifications : IQueueNotifications
{
    // The origin (hex) never contains it, so a message may be anything.
    private const char Separator = '\n';

    private readonly string _prefix;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly ILogger _logger;

    /// <param name="redis">The backend's long-lived connection (<see cref="RedisQueueStoreFactory.Connection"/>).</param>
    /// <param name="keyPrefix">The backend's <see cref="RedisQueueOptions.KeyPrefix"/>. <value>The default value is "vgq".</value></param>
    /// <param name="logger">Where publish and subscribe failures are reported (as warnings: callers have another way).</param>
    public RedisQueueNotifications(IConnectionMultiplexer redis, string keyPrefix = "vgq", ILogger<RedisQueueNotifications>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPrefix);
        Connection = redis;
        _prefix = keyPrefix;
        _logger = logger ?? NullLogger<RedisQueueNotifications>.Instance;
    }

    /// <summary>The connection it publishes and subscribes on.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>The Redis channel of <paramref name="channel"/> of queue <paramref name="queueName"/>.</summary>
    public static RedisChannel ChannelFor(string queueName, string channel, string keyPrefix = "vgq")
    {
        if (string.IsNullOrWhiteSpace(queueName) || queueName.IndexOfAny(['{', '}']) >= 0)
        {
            throw new ArgumentException("A queue name must be non-empty and may not contain '{' or '}'.", nameof(queueName));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        return RedisChannel.Literal($"{keyPrefix}:{{{queueName}}}:{channel}");
    }

    public IQueueNotificationChannel Open(string queueName, string channel) => new Channel(this, ChannelFor(queueName, channel, _prefix));

    private sealed class Channel(RedisQueueNotifications owner, RedisChannel channel) : IQueueNotificationChannel
    {
        public string Name { get; } = channel.ToString();

        public async Task PublishAsync(string message, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(message);
            try
            {
                await owner.Connection.GetSubscriber().PublishAsync(channel, owner._origin + Separator + message).WaitAsync(ct);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                owner._logger.LogWarning(e, "Could not publish on {Channel}; subscribers in other processes miss this message", Name);
            }
        }

        public async Task<IAsyncDisposable> SubscribeAsync(Action<string> onMessage, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(onMessage);
            var subscriber = owner.Connection.GetSubscriber();
            Action<RedisChannel, RedisValue> handler = (_, value) => Deliver(value, onMessage);
            try
            {
                await subscriber.SubscribeAsync(channel, handler).WaitAsync(ct);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The handler is already in the multiplexer's registry; subscribing again would register it twice.
                owner._logger.LogWarning(e, "Could not subscribe to {Channel} now; StackExchange.Redis subscribes when the connection is back", Name);
            }

            return new Subscription(() => subscriber.UnsubscribeAsync(channel, handler));
        }

        private void Deliver(RedisValue value, Action<string> onMessage)
        {
            var text = (string?)value;
            var at = text?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
            if (text is null || at <= 0)
            {
                owner._logger.LogWarning("Ignored a malformed message on {Channel}", Name);
                return;
            }

            // This process's own publish.
            if (text.AsSpan(0, at).SequenceEqual(owner._origin.AsSpan()))
            {
                return;
            }

            onMessage(text[(at + 1)..]);
        }
    }

    /// <summary>Removes one handler (other users of the shared connection keep theirs), once.</summary>
    private sealed class Subscription(Func<Task> unsubscribe) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            try
            {
                await unsubscribe();
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Going away anyway; the server drops the subscription with the connection.
            }
        }
    }
}
