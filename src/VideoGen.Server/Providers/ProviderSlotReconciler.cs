using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VideoGen.Server.Providers;

/// <summary>
/// Runs <see cref="DbProviderSlots.ReconcileAsync"/> every <see cref="Interval"/> in each process that runs workers, so
/// the slot of a video that ended without giving it back (its worker killed, a parked video canceled) comes back
/// within that time. Idempotent, so several processes doing it at once is harmless.
/// </summary>
public sealed partial class ProviderSlotReconciler(DbProviderSlots slots, TimeProvider time, ILogger<ProviderSlotReconciler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await slots.ReconcileAsync(stoppingToken) is > 0 and var freed)
                    {
                        LogFreed(freed);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider slots: {Freed} slot(s) of videos that no longer occupy the provider came back")]
    private partial void LogFreed(int freed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider slots: reconciliation against the video rows failed; trying again at the next pass")]
    private partial void LogFailed(Exception ex);
}
