using StackExchange.Redis;
using VideoGen.Core.Providers;

namespace VideoGen.Server.Queueing;

/// <summary>
/// <see cref="IProviderSignals"/> across processes that share the Redis queue backend: a fal webhook
/// received by the API process (<c>serve</c> with workers off) wakes the job waiting in a
/// <c>worker</c> process at once. <see cref="SignalAsync"/> signals this process's
/// <see cref="InProcessProviderSignals"/> and publishes the request id on one pub/sub channel; every
/// process subscribes once at start (as a hosted service) and forwards the ids it receives to its own
/// in-process instance, which does the waiting and keeps a signal that arrives while nobody waits.
/// </summary>
/// <remarks>
/// Pub/sub is at most once: a message published while a subscriber is disconnected, or a publish that
/// fails, is lost. That costs only latency: the pipeline's polling is the safety net and finds the
/// result at its next status check. The channel subscription lives in the multiplexer's registry, so
/// StackExchange.Redis subscribes again by itself after every reconnect (also when the first
/// SUBSCRIBE at start failed because Redis was down). It uses the backend's one long-lived connection
/// (<c>RedisQueueStoreFactory.Connection</c>); it opens none of its own.
/// </remarks>
public sealed class RedisProviderSignals : IProviderSignals, IHostedService
{
    // A message is "{origin}\n{requestId}": the origin (hex) never contains it, so the request id may be anything.
    private const char Separator = '\n';

    private readonly IConnectionMultiplexer _redis;
    private readonly InProcessProviderSignals _local;
    private readonly ILogger<RedisProviderSignals> _logger;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private int _subscribed;

    /// <param name="redis">The queue backend's long-lived connection.</param>
    /// <param name="channel">The channel every process of the deployment uses (<see cref="ChannelFor"/>).</param>
    /// <param name="local">This process's waiters.</param>
    /// <param name="logger">Where publish and subscribe failures are reported (as warnings: polling covers them).</param>
    public RedisProviderSignals(IConnectionMultiplexer redis, RedisChannel channel, InProcessProviderSignals local, ILogger<RedisProviderSignals> logger)
    {
        _redis = redis;
        Channel = channel;
        _local = local;
        _logger = logger;
        _onMessage = OnMessage;
    }

    public RedisChannel Channel { get; }

    /// <summary>The connection it publishes and subscribes on (tests check it is the queue backend's).</summary>
    internal IConnectionMultiplexer Connection => _redis;

    /// <summary>
    /// The channel for the queue <paramref name="queueName"/>, in the queue's key style with its hash tag
    /// (<c>vgq:{videos}:provider-signals</c>), so processes serving one queue share one channel.
    /// </summary>
    public static RedisChannel ChannelFor(string queueName, string keyPrefix = "vgq") =>
        RedisChannel.Literal($"{keyPrefix}:{{{queueName}}}:provider-signals");

    public Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct) => _local.WaitAsync(requestId, timeout, ct);

    /// <summary>
    /// Wakes this process's waiters at once, then publishes for the other processes. A failed publish
    /// is logged, not thrown: the signal is an optimisation and polling finds the result anyway.
    /// </summary>
    public async Task SignalAsync(string requestId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        await _local.SignalAsync(requestId, ct);
        try
        {
            await _redis.GetSubscriber().PublishAsync(Channel, _origin + Separator + requestId).WaitAsync(ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning(e, "Could not publish the provider signal for request {RequestId} on {Channel}; a worker in another process finds the result at its next poll", requestId, Channel);
        }
    }

    /// <summary>Subscribes once. Redis being down is not fatal: the multiplexer subscribes when it reconnects.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }

        try
        {
            await _redis.GetSubscriber().SubscribeAsync(Channel, _onMessage).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The handler is already in the multiplexer's registry; subscribing again would register it twice.
            _logger.LogWarning(e, "Could not subscribe to provider signals on {Channel} now; StackExchange.Redis subscribes when the connection is back, polling covers the gap", Channel);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 0) == 0)
        {
            return;
        }

        try
        {
            // Only this handler: other users of the shared connection keep theirs.
            await _redis.GetSubscriber().UnsubscribeAsync(Channel, _onMessage).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down anyway; the server drops the subscription with the connection.
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message;
        var at = text?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (text is null || at <= 0 || at == text.Length - 1)
        {
            _logger.LogWarning("Ignored a malformed provider signal on {Channel}", channel);
            return;
        }

        // This process's own publish: its waiters were woken before it was sent. Signalling again would
        // leave a stale pending signal that cuts the next wait of that request short.
        if (text.AsSpan(0, at).SequenceEqual(_origin.AsSpan()))
        {
            return;
        }

        _ = _local.SignalAsync(text[(at + 1)..], CancellationToken.None);
    }
}
