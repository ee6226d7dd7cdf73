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
    private TaskCompletionSource _wake = NewWake();
    private bool _pendingWake;
    private Task? _subscribed;
    private Action<RedisChannel, RedisValue>? _onWork;

    public async Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken ct = default)
    {
        await EnsureSubscribedAsync().ConfigureAwait(false);
        Task signal;
        lock (_wakeGate)
        {
            if (_pendingWake)
            {
                _pendingWake = false;
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
                _pendingWake = false;
            }
        }
        catch (TimeoutException)
        {
            // Nothing arrived: the caller's safety net (e.g. a delayed job came due), not an error.
        }
    }

    /// <summary>Wakes this process's waiters now (a local enqueue need not wait for the pub/sub echo).</summary>
    private void SignalWork()
    {
        TaskCompletionSource fired;
        lock (_wakeGate)
        {
            _pendingWake = true;
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
            _onWork ??= (_, _) => SignalWork();
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

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
