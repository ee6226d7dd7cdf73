namespace FakeFal.Queue;

/// <summary>
/// Drops completed requests whose retention has ended, so a long benchmark does not keep every
/// finished request in memory (lookups already treat them as gone).
/// </summary>
public sealed class RetentionSweeper(RequestStore store, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow();
            foreach (var r in store.Snapshot())
            {
                if (r.ExpiresAt is { } expires && expires <= now)
                {
                    store.Expire(r.Id);
                }
            }
        }
    }
}
