namespace VideoGen.Server.Limits;

/// <summary>Deletes idempotency keys past their 24 hours, hourly (a key found expired on use is also replaced then).</summary>
internal sealed class IdempotencyKeySweeper(IdempotencyStore store, TimeProvider time, ILogger<IdempotencyKeySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await store.DeleteExpiredAsync(stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} expired idempotency keys", deleted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Deleting expired idempotency keys failed; trying again in an hour");
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
