using Microsoft.Extensions.Logging;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Listens for cancel requests (<see cref="IQueueStore.ReadCancelRequestsAsync"/>), so a cancel reaches
/// the handler at once instead of at the next heartbeat (the <see cref="LeaseKeeper"/> also reports them,
/// as a safety net). A feed that fails is reopened after a growing delay.
/// </summary>
internal sealed class CancelRequestListener(IQueueStore store, TimeProvider time, HeldJobs held, ReadyJobSettler settler, string workerId, ILogger logger)
{
    /// <param name="first">The feed opened when claiming started, so no request made since then is missed.</param>
    /// <param name="ct">Stops listening.</param>
    public async Task RunAsync(IAsyncEnumerable<string> first, CancellationToken ct)
    {
        var errorDelay = ErrorBackoff.First;
        IAsyncEnumerable<string>? requests = first;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                requests ??= store.ReadCancelRequestsAsync(ct);
                await foreach (var jobId in requests.WithCancellation(ct))
                {
                    errorDelay = ErrorBackoff.First;
                    if (held.TryGet(jobId, out var run))
                    {
                        run.RequestCancel();
                        settler.SettleIfWaiting(run);
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
                logger.LogWarning(ex, "Worker {WorkerId}: cancel requests feed failed; reconnecting in {Delay}", workerId, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                errorDelay = ErrorBackoff.Next(errorDelay);
            }
        }
    }
}
