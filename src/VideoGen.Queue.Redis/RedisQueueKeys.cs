using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// The keys of one queue. Every key carries the hash tag <c>{queueName}</c>, so one queue lives in one
/// Redis Cluster slot and its scripts may touch all of them atomically.
/// </summary>
internal sealed class RedisQueueKeys
{
    private readonly Dictionary<string, RedisKey> _byName;

    public RedisQueueKeys(string prefix, string queueName)
    {
        if (string.IsNullOrWhiteSpace(queueName) || queueName.IndexOfAny(['{', '}']) >= 0)
        {
            throw new ArgumentException("A queue name must be non-empty and may not contain '{' or '}'.", nameof(queueName));
        }

        Tag = $"{prefix}:{{{queueName}}}:";
        _byName = Names.ToDictionary(n => n, n => (RedisKey)(Tag + n), StringComparer.Ordinal);
        WorkChannel = RedisChannel.Literal(Tag + "work");
        CancelChannel = RedisChannel.Literal(Tag + "cancels");
    }

    /// <summary>Every key name a script may bind.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["jobs", "hot", "wait", "delayed", "active", "completed", "failed", "canceled", "meta", "rate", "gactive", "glast", "events"];

    /// <summary>The common prefix of this queue's keys, hash tag included.</summary>
    public string Tag { get; }

    /// <summary>Published when work may be available (enqueue, release, resume, recovery, a freed slot).</summary>
    public RedisChannel WorkChannel { get; }

    /// <summary>Published with a job id when cancellation of that active job is requested (workers listen).</summary>
    public RedisChannel CancelChannel { get; }

    public RedisKey this[string name] => _byName[name];

    public RedisKey Jobs => _byName["jobs"];
    public RedisKey Hot => _byName["hot"];
    public RedisKey Wait => _byName["wait"];
    public RedisKey Delayed => _byName["delayed"];
    public RedisKey Active => _byName["active"];
    public RedisKey Meta => _byName["meta"];
    public RedisKey Rate => _byName["rate"];
    public RedisKey Events => _byName["events"];

    /// <summary>The sorted set holding jobs in <paramref name="state"/>.</summary>
    public RedisKey ForState(JobState state) => state switch
    {
        JobState.Waiting => _byName["wait"],
        JobState.Delayed => _byName["delayed"],
        JobState.Active => _byName["active"],
        JobState.Completed => _byName["completed"],
        JobState.Failed => _byName["failed"],
        JobState.Canceled => _byName["canceled"],
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
