using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// Idle workers wait on the queue's pub/sub "work" channel (published by the enqueue, release,
/// retry, recover and resume paths) instead of polling; StackExchange.Redis forbids blocking commands
/// on the shared connection, and pub/sub arrives within a millisecond on a local network.
/// </summary>
public sealed partial class RedisQueueStore
{
    private readonly Lock _wakeGate = new();
    private readonly string _wakeOrigin = Guid.NewGuid().ToString("N");
    private TaskCompletionSource _wake = NewWake();

    // Wake-ups counted; a waiter returns at once only for one that arrived after the last claim began
    // (or after its last wait), since a claim that started later already saw that work.
    private long _workGeneration = 1;
    private long _generationAtClaim;
    private Task? _subscribed;
    private Action<RedisChannel, RedisValue>? _onWork;

    public async Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken ct = default)
    {
        await EnsureSubscribedAsync().ConfigureAwait(false);
        Task signal;
        lock (_wakeGate)
        {
            if (_workGeneration != _generationAtClaim)
            {
                _generationAtClaim = _workGeneration;
                return;
            }

            signal = _wake.Task;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await signal.WaitAsync(maxWait, _time, ct).ConfigureAwait(false);
            lock (_wakeGate)
            {
                _generationAtClaim = _workGeneration;
            }
        }
        catch (TimeoutException)
        {
            // Nothing arrived: the caller's safety net (e.g. a delayed job came due), not an error.
        }
    }

    /// <summary>
    /// The earliest run-at of a delayed job, or — when the rate limit is what holds waiting jobs back —
    /// the instant the window has room again, whichever is first.
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        var (first, meta, waiting) = await RetryTransientAsync(
            async () =>
            {
                var batch = Db.CreateBatch();
                var firstTask = batch.SortedSetRangeByRankWithScoresAsync(_keys.Delayed, 0, 0);
                var metaTask = batch.HashGetAsync(_keys.Meta, ["rate", "ratewin"]);
                var waitTask = batch.SortedSetLengthAsync(_keys.Wait);
                batch.Execute();
                return (await firstTask.ConfigureAwait(false), await metaTask.ConfigureAwait(false), await waitTask.ConfigureAwait(false));
            },
            ct).ConfigureAwait(false);
        DateTimeOffset? due = first.Length > 0 ? JobRecord.At((long)first[0].Score) : null;
        if (waiting > 0 && meta[0].TryParse(out long rate) && meta[1].TryParse(out long window))
        {
            var starts = await RetryTransientAsync(() => Db.SortedSetLengthAsync(_keys.Rate), ct).ConfigureAwait(false);
            if (starts >= rate)
            {
                var oldest = await RetryTransientAsync(() => Db.SortedSetRangeByRankWithScoresAsync(_keys.Rate, starts - rate, starts - rate), ct).ConfigureAwait(false);
                if (oldest.Length > 0)
                {
                    var free = JobRecord.At((long)oldest[0].Score + window);
                    due = due is null || free < due ? free : due;
                }
            }
        }

        return due;
    }

    /// <summary>Wakes this process's waiters now (a local enqueue need not wait for the pub/sub echo).</summary>
    private void SignalWork()
    {
        TaskCompletionSource fired;
        lock (_wakeGate)
        {
            _workGeneration++;
            fired = _wake;
            _wake = NewWake();
        }

        fired.TrySetResult();
    }

    private Task EnsureSubscribedAsync()
    {
        lock (_wakeGate)
        {
            return _subscribed ??= SubscribeAsync();
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            _onWork ??= (_, message) =>
            {
                // The echo of this store's own enqueue: it already woke its waiters when the call returned.
                if (message != _wakeOrigin)
                {
                    SignalWork();
                }
            };
            await _redis.GetSubscriber().SubscribeAsync(_keys.WorkChannel, _onWork).ConfigureAwait(false);

            // Anything published before the subscription was live was missed: assume work arrived.
            SignalWork();
        }
        catch (Exception e) when (IsTransient(e))
        {
            // The multiplexer re-subscribes when it reconnects only for subscriptions it knows; retry on the next wait.
            lock (_wakeGate)
            {
                _subscribed = null;
            }
        }
    }

    /// <summary>Messages published while the connection was down are lost: assume work arrived.</summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => SignalWork();

    private async ValueTask DisposeWakeAsync()
    {
        Task? subscribed;
        lock (_wakeGate)
        {
            subscribed = _subscribed;
        }

        if (subscribed is not null && _onWork is not null)
        {
            try
            {
                // Only this handle's handler: other handles on the same connection keep listening.
                await _redis.GetSubscriber().UnsubscribeAsync(_keys.WorkChannel, _onWork).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e))
            {
                // Going away anyway; the server drops the subscription with the connection.
            }
        }

        SignalWork();
    }

    /// <summary>Called as a claim starts: wake-ups before this point are answered by the claim itself.</summary>
    private void NoteClaimStarting()
    {
        lock (_wakeGate)
        {
            _generationAtClaim = _workGeneration;
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
