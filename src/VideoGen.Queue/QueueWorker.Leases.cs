using Microsoft.Extensions.Logging;
using VideoGen.Queue.Worker;

namespace VideoGen.Queue;

public sealed partial class QueueWorker
{
    /// <summary>
    /// Renews every lease this worker holds in one store call per <see cref="QueueWorkerOptions.HeartbeatInterval"/>.
    /// Runs on its own timer, so a handler that blocks its thread does not stop renewals.
    /// </summary>
    private async Task HeartbeatLoopAsync(PeriodicTimer timer)
    {
        var ct = _stopBackground.Token;
        using var owned = timer;
        try
        {
            await AnnounceAsync();
            while (await timer.WaitForNextTickAsync(ct))
            {
                await HeartbeatOnceAsync();
                await AnnounceAsync();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private Task AnnounceAsync() => _announcer?.AnnounceAsync(RunningCount) ?? Task.CompletedTask;

    private async Task HeartbeatOnceAsync()
    {
        var leases = new List<LeaseRef>(_running.Count);
        foreach (var run in _running.Values)
        {
            if (!run.Lost)
            {
                leases.Add(run.Lease);
            }
        }

        if (leases.Count == 0)
        {
            return;
        }

        try
        {
            var renewal = await _store.ExtendLeasesAsync(WorkerId, leases, _options.LeaseDuration, _time.GetUtcNow(), CancellationToken.None);
            foreach (var id in renewal.Lost)
            {
                if (_running.TryGetValue(id, out var run))
                {
                    _logger.LogWarning("Worker {WorkerId}: lease of job {JobId} lost; stopping its handler without finishing it", WorkerId, id);
                    run.MarkLost();
                    SettleIfReady(run);
                }
            }

            foreach (var id in renewal.CancelRequested)
            {
                if (_running.TryGetValue(id, out var run))
                {
                    run.RequestCancel();
                    SettleIfReady(run);
                }
            }
        }
        catch (Exception ex)
        {
            // Leases are longer than the interval, so the next beat can still save them.
            _logger.LogError(ex, "Worker {WorkerId}: lease renewal failed for {Count} jobs", WorkerId, leases.Count);
        }
    }

    /// <summary>
    /// Listens for cancel requests (<see cref="IQueueStore.ReadCancelRequestsAsync"/>), so a cancel reaches
    /// the handler at once instead of at the next heartbeat (the heartbeat also reports them, as a safety net).
    /// </summary>
    private async Task CancelRequestLoopAsync(IAsyncEnumerable<string> first)
    {
        var ct = _stopBackground.Token;
        var errorDelay = MinErrorBackoff;
        IAsyncEnumerable<string>? requests = first;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                requests ??= _store.ReadCancelRequestsAsync(ct);
                await foreach (var jobId in requests.WithCancellation(ct))
                {
                    errorDelay = MinErrorBackoff;
                    if (_running.TryGetValue(jobId, out var run))
                    {
                        run.RequestCancel();
                        SettleIfReady(run);
                    }
                }

                requests = null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                requests = null;
                _logger.LogWarning(ex, "Worker {WorkerId}: cancel requests feed failed; reconnecting in {Delay}", WorkerId, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, _time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorBackoff.Ticks));
            }
        }
    }

    /// <summary>Puts back jobs of dead workers: once at start, then every <see cref="QueueWorkerOptions.RecoveryInterval"/>.</summary>
    private async Task RecoveryLoopAsync(PeriodicTimer timer)
    {
        var ct = _stopBackground.Token;
        using var owned = timer;
        try
        {
            do
            {
                try
                {
                    var recovered = await _store.RecoverExpiredAsync(_time.GetUtcNow(), CancellationToken.None);
                    if (recovered > 0)
                    {
                        _logger.LogWarning("Worker {WorkerId}: recovered {Count} jobs with expired leases on queue {Queue}", WorkerId, recovered, _store.QueueName);
                    }
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "Worker {WorkerId}: lease recovery failed on queue {Queue}", WorkerId, _store.QueueName);
                }

                await TrimIfDueAsync();
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task TrimIfDueAsync()
    {
        if (_options.Retention is not { } retention)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_lastTrim is { } last && now - last < _options.RetentionInterval)
        {
            return;
        }

        _lastTrim = now;
        try
        {
            var removed = await _store.TrimAsync(retention, now, CancellationToken.None);
            if (removed > 0)
            {
                _logger.LogInformation("Worker {WorkerId}: removed {Count} finished jobs past retention from queue {Queue}", WorkerId, removed, _store.QueueName);
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Worker {WorkerId}: retention trim failed on queue {Queue}", WorkerId, _store.QueueName);
        }
    }
}
