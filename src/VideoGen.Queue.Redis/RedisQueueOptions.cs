namespace VideoGen.Queue.Redis;

/// <summary>
/// Settings of the Redis queue backend.
/// </summary>
/// <remarks>
/// Durability is Redis's own: run redis-server with AOF on. <c>appendfsync always</c> is the no-loss
/// setting (every acknowledged enqueue/complete is on disk before Redis answers). <c>appendfsync everysec</c>
/// is much faster but a power loss or OS crash may lose up to about one second of acknowledged writes
/// (a Redis process crash alone loses nothing: the OS still flushes its page cache).
/// </remarks>
public sealed class RedisQueueOptions
{
    /// <summary>Prefix of every key; the queue name follows as a hash tag (<c>vgq:{name}:jobs</c>). <value>The default value is "vgq".</value></summary>
    public string KeyPrefix { get; set; } = "vgq";

    /// <summary>Approximate bound of each queue's event stream (XADD MAXLEN ~); one entry holds the events of one store call. <value>The default value is 10,000.</value></summary>
    public int MaxEventEntries { get; set; } = 10_000;

    /// <summary>How long an operation keeps retrying through connection drops and server restarts before it fails. <value>The default value is 15 seconds.</value></summary>
    public TimeSpan TransientRetryBudget { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an event reader with nothing new asks the stream again (XREAD is not blocking on the shared connection); a quiet queue backs off to 5 times this. <value>The default value is 20 ms.</value></summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(20);
}
