namespace VideoGen.Queue;

/// <summary>
/// Cross-process notifications a queue backend offers next to its queues: a short text message published on a
/// named channel of a queue reaches that channel's subscribers in every other process using the same backend.
/// Registered by a backend whose queues span processes (Redis) next to its <see cref="IQueueStoreFactory"/>; a backend
/// without one (SQLite) registers none, and callers keep to notifications within their own process.
/// </summary>
/// <remarks>
/// Delivery is at most once and best effort: a message published while a subscriber is disconnected, or a publish
/// that fails, is lost, so a caller needs another way to learn the news (polling). A message is never delivered back
/// to the process (this instance) that published it: that process already knows. The queue gives channel names and
/// messages no meaning.
/// </remarks>
public interface IQueueNotifications
{
    /// <summary>Channel <paramref name="channel"/> of queue <paramref name="queueName"/>. Does no I/O.</summary>
    IQueueNotificationChannel Open(string queueName, string channel);
}

/// <summary>One named channel of <see cref="IQueueNotifications"/>.</summary>
public interface IQueueNotificationChannel
{
    /// <summary>The backend's name of the channel, for logs (Redis: <c>vgq:{videos}:provider-signals</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Sends <paramref name="message"/> to the channel's subscribers in the other processes. A backend that cannot
    /// be reached loses the message and logs it; this does not throw for that.
    /// </summary>
    Task PublishAsync(string message, CancellationToken ct);

    /// <summary>
    /// Calls <paramref name="onMessage"/> with each message another process publishes, until the returned subscription
    /// is disposed. A backend that cannot be reached now is logged, not thrown: the subscription starts when it is back.
    /// <paramref name="onMessage"/> must return quickly and not throw.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(Action<string> onMessage, CancellationToken ct);
}
