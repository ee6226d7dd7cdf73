using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// Canceling: a waiting or delayed job ends canceled at once; an active one is flagged, its worker is
/// asked to stop, and the lease holder ends it with <see cref="MarkCanceledAsync"/>. Cancel requests
/// reach workers over the queue's pub/sub cancel channel (the cancel script publishes
/// the job id), so a worker never reads the event stream of every job just to find them. Pub/sub
/// delivers only while connected; a request published during a reconnect reaches the worker with its
/// next lease renewal instead.
/// </summary>
public sealed partial class RedisQueueStore
{
    public async Task<CancelOutcome> CancelAsync(string jobId, string reason, DateTimeOffset now, CancellationToken ct = default)
    {
        var outcome = (string?)await RunAsync(RedisScript.Cancel, now, [jobId, reason, _keys.CancelChannel.ToString()], ct).ConfigureAwait(false);
        return outcome switch
        {
            "canceled" => CancelOutcome.Canceled,
            "requested" => CancelOutcome.CancelRequested,
            "finished" => CancelOutcome.AlreadyFinished,
            _ => CancelOutcome.NotFound,
        };
    }

    public async Task<bool> MarkCanceledAsync(LeaseRef lease, string reason, DateTimeOffset now, CancellationToken ct = default) =>
        (long)await RunAsync(RedisScript.MarkCanceled, now, [lease.JobId, lease.LeaseToken, reason], ct).ConfigureAwait(false) == 1;

    /// <summary>Subscribes at this call (not at the first read), so the listener hears requests made from then on.</summary>
    public IAsyncEnumerable<string> ReadCancelRequestsAsync(CancellationToken ct)
    {
        var requests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        Action<RedisChannel, RedisValue> onCancel = (_, jobId) => requests.Writer.TryWrite((string)jobId!);
        var subscribed = _redis.GetSubscriber().SubscribeAsync(_keys.CancelChannel, onCancel);
        return ReadAsync(requests.Reader, subscribed, onCancel, ct);
    }

    private async IAsyncEnumerable<string> ReadAsync(ChannelReader<string> requests, Task subscribed, Action<RedisChannel, RedisValue> onCancel, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            await subscribed.ConfigureAwait(false);
            await foreach (var jobId in requests.ReadAllAsync(ct).ConfigureAwait(false))
            {
                yield return jobId;
            }
        }
        finally
        {
            try
            {
                // Only this reader's handler: other readers on the same connection keep listening.
                await _redis.GetSubscriber().UnsubscribeAsync(_keys.CancelChannel, onCancel).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e))
            {
                // Going away anyway; the server drops the subscription with the connection.
            }
        }
    }
}
