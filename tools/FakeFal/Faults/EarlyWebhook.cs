using FakeFal.Queue;

namespace FakeFal.Faults;

/// <summary>
/// The out-of-order fault (<c>Faults:EarlyWebhookRate</c>): the submit is accepted, but its answer is
/// held back until the request has completed and its webhook has gone out, so the caller hears
/// "done" for a request id it has not yet received. Bounded by <c>Faults:EarlyWebhookMaxHold</c>.
/// </summary>
public static class EarlyWebhook
{
    /// <summary>Time left for the webhook POST after completion before the submit answers.</summary>
    private static readonly TimeSpan WebhookHeadStart = TimeSpan.FromMilliseconds(300);

    /// <summary>Whether this submit's answer is to be held back (counted as <c>submit.early_webhook</c>).</summary>
    public static bool Hit(FaultInjector faults, FalRequest request) =>
        request.WebhookUrl is not null && faults.Hit("early_webhook", faults.Current.EarlyWebhookRate, "submit");

    /// <summary>Waits until <paramref name="request"/> completed (plus a head start for its webhook), at most the configured hold.</summary>
    public static async Task HoldAsync(FaultInjector faults, FalRequest request, TimeProvider time, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(faults.Current.EarlyWebhookMaxHold);
        try
        {
            while (true)
            {
                var changed = request.WaitForChangeAsync();
                if (request.State == RequestState.Completed)
                {
                    break;
                }

                await changed.WaitAsync(bound.Token);
            }

            await Task.Delay(WebhookHeadStart, time, bound.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Held as long as allowed: answer now.
        }
    }
}
