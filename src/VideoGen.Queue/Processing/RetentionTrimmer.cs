using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Applies <see cref="QueueWorkerOptions.Retention"/>: removes finished jobs past it at most once per
/// <see cref="QueueWorkerOptions.RetentionInterval"/> (by the injected clock), so storage stays bounded.
/// </summary>
internal sealed class RetentionTrimmer(IQueueStore store, QueueWorkerOptions options, TimeProvider time, ILogger logger)
{
    private DateTimeOffset? _lastTrim;

    /// <summary>Trims when retention is on and the interval has passed since the last trim; failures are logged.</summary>
    public async Task TrimIfDueAsync()
    {
        if (options.Retention is not { } retention)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_lastTrim is { } last && now - last < options.RetentionInterval)
        {
            return;
        }

        _lastTrim = now;
        try
        {
            var removed = await store.TrimAsync(retention, now, CancellationToken.None);
            if (removed > 0)
            {
                logger.LogInformation("Worker {WorkerId}: removed {Count} finished jobs past retention from queue {Queue}", options.WorkerId, removed, store.QueueName);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Worker {WorkerId}: retention trim failed on queue {Queue}", options.WorkerId, store.QueueName);
        }
    }
}
