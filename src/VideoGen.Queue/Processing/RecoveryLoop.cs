using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Puts back jobs of dead workers (expired leases): once at start, then every
/// <see cref="QueueWorkerOptions.RecoveryInterval"/>; each round then gives the <see cref="RetentionTrimmer"/> its turn.
/// </summary>
internal sealed class RecoveryLoop(IQueueStore store, TimeProvider time, RetentionTrimmer trimmer, string workerId, ILogger logger)
{
    /// <summary>Runs a round now and on every tick of <paramref name="timer"/> (created at start) until <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(PeriodicTimer timer, CancellationToken ct)
    {
        using var owned = timer;
        try
        {
            do
            {
                await RecoverOnceAsync();
                await trimmer.TrimIfDueAsync();
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RecoverOnceAsync()
    {
        try
        {
            var recovered = await store.RecoverExpiredAsync(time.GetUtcNow(), CancellationToken.None);
            if (recovered > 0)
            {
                logger.LogWarning("Worker {WorkerId}: recovered {Count} jobs with expired leases on queue {Queue}", workerId, recovered, store.QueueName);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Worker {WorkerId}: lease recovery failed on queue {Queue}", workerId, store.QueueName);
        }
    }
}
