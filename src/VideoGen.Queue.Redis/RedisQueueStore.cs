using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// The Redis backend of one queue. Every state transition is one Lua script (Scripts/verb-N.lua) run
/// by SHA, so it is atomic and fenced by the lease token; every key of the queue shares the hash tag
/// <c>{queueName}</c>. Calls ride through connection drops and server restarts: a transient failure is
/// retried (within <see cref="RedisQueueOptions.TransientRetryBudget"/>); scripts are safe to repeat
/// because each re-checks state and token (a repeated finish reports a stale lease, a repeated claim
/// leaves jobs under leases nobody holds, which expire and are recovered).
/// </summary>
/// <remarks>
/// The store is split by concern, with the same file names as the SQLite store: <c>RedisQueueStore.Enqueue.cs</c>,
/// <c>.Claim.cs</c> (claim, complete-and-claim), <c>.Finish.cs</c> (complete, fail, release), <c>.Leases.cs</c>
/// (renewal, progress, recovery), <c>.Cancel.cs</c> (cancel, mark canceled, the cancel feed), <c>.Wake.cs</c>
/// (idle waits, next due time), <c>.Events.cs</c> (reading events), <c>.Admin.cs</c> (inspection, retry, remove,
/// pause, limits, trimming).
/// </remarks>
public sealed partial class RedisQueueStore : IQueueStore
{
    /// <summary>Most jobs one script call handles (Lua's unpack() limit is ~8,000 values; this also bounds a script's run time).</summary>
    private const int MaxBatch = 1000;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisScriptRunner _scripts;
    private readonly RedisQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisQueueKeys _keys;
    private readonly RedisValue _maxEvents;
    private readonly RedisValue _channelName;
    private readonly RedisValue _ownWakeChannel;

    internal RedisQueueStore(string queueName, IConnectionMultiplexer redis, RedisScriptRunner scripts, RedisQueueOptions options, TimeProvider time)
    {
        QueueName = queueName;
        _redis = redis;
        _scripts = scripts;
        _options = options;
        _time = time;
        _keys = new RedisQueueKeys(options.KeyPrefix, queueName);
        _maxEvents = options.MaxEventEntries;
        _channelName = _keys.Tag + "work\n1";
        _ownWakeChannel = _keys.Tag + "work\n" + _wakeOrigin;
        _redis.ConnectionRestored += OnConnectionRestored;

        // Listen from the start, so a wake-up published between a worker's empty claim and its first wait is not lost.
        _ = EnsureSubscribedAsync();
    }

    public string QueueName { get; }

    /// <summary>Calls are network round trips: workers keep two in flight.</summary>
    public bool OverlapsCalls => true;

    /// <summary>The prefix (hash tag included) shared by all keys of this queue.</summary>
    public string KeyTag => _keys.Tag;

    private IDatabase Db => _redis.GetDatabase();

    public ValueTask DisposeAsync()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        return DisposeWakeAsync();
    }

    /// <summary>
    /// Runs one script with the common ARGV (now, events bound, work channel) in front of <c>args</c>.
    /// With <c>signalsLocally</c> the caller wakes this store's waiters itself after the call, so the
    /// script's wake-up is tagged with this store's id and its pub/sub echo is ignored here (one wake-up
    /// per enqueue, not two).
    /// </summary>
    private Task<RedisResult> RunAsync(RedisScript script, DateTimeOffset now, IReadOnlyList<RedisValue> args, CancellationToken ct, bool signalsLocally = false)
    {
        var keys = new RedisKey[script.KeyNames.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys[script.KeyNames[i]];
        }

        var values = new RedisValue[args.Count + 3];
        values[0] = JobRecord.Ms(now);
        values[1] = _maxEvents;
        values[2] = signalsLocally ? _ownWakeChannel : _channelName;
        for (var i = 0; i < args.Count; i++)
        {
            values[i + 3] = args[i];
        }

        return RetryTransientAsync(() => _scripts.EvaluateAsync(script, keys, values), ct);
    }

    /// <summary>Retries connection failures, timeouts and "loading/busy" answers of a restarting server.</summary>
    private async Task<T> RetryTransientAsync<T>(Func<Task<T>> op, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await op().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && _time.GetElapsedTime(started) < _options.TransientRetryBudget)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
        }
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException s => s.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || s.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || s.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || s.Message.StartsWith("READONLY", StringComparison.Ordinal),
        _ => false,
    };
}
