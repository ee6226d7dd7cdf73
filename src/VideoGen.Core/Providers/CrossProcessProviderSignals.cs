using Microsoft.Extensions.Hosting;
using VideoGen.Queue;

namespace VideoGen.Core.Providers;

/// <summary>
/// <see cref="IProviderSignals"/> across the processes that share a queue backend offering
/// <see cref="IQueueNotifications"/> (Redis): a fal webhook received by the API process (<c>serve</c> with workers off)
/// wakes the job waiting in a <c>worker</c> process at once. <see cref="SignalAsync"/> signals this process's
/// <see cref="InProcessProviderSignals"/> and publishes the request id on the queue's <see cref="ChannelName"/> channel;
/// every process subscribes once at start (as a hosted service) and forwards the ids other processes publish to its own
/// in-process instance, which does the waiting and keeps a signal that arrives while nobody waits.
/// </summary>
/// <remarks>
/// Notifications are at most once: a lost one costs only latency, since the pipeline's polling finds the result at its
/// next status check. A process's own publish never comes back to it (the channel's promise): signalling again would
/// leave a stale pending signal that cuts the next wait of that request short.
/// </remarks>
/// <param name="channel">The queue's <see cref="ChannelName"/> channel, shared by every process serving the queue.</param>
/// <param name="local">This process's waiters.</param>
public sealed class CrossProcessProviderSignals(IQueueNotificationChannel channel, InProcessProviderSignals local) : IProviderSignals, IHostedService
{
    /// <summary>The name of the channel, within the videos queue, that carries provider request ids.</summary>
    public const string ChannelName = "provider-signals";

    private IAsyncDisposable? _subscription;
    private int _started;

    /// <summary>The channel it publishes and listens on.</summary>
    public IQueueNotificationChannel Channel => channel;

    public Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct) => local.WaitAsync(requestId, timeout, ct);

    /// <summary>
    /// Wakes this process's waiters at once, then publishes for the other processes. A publish that fails is the
    /// channel's to log, not thrown: the signal is an optimisation and polling finds the result anyway.
    /// </summary>
    public async Task SignalAsync(string requestId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        await local.SignalAsync(requestId, ct);
        await channel.PublishAsync(requestId, ct);
    }

    /// <summary>Subscribes once. A backend that is down is not fatal: the channel subscribes when it is back.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _subscription, await channel.SubscribeAsync(OnMessage, cancellationToken));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 0) == 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync();
        }
    }

    private void OnMessage(string requestId)
    {
        if (requestId.Length > 0)
        {
            _ = local.SignalAsync(requestId, CancellationToken.None);
        }
    }
}
