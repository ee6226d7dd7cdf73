using System.Runtime.CompilerServices;

namespace VideoGen.Queue;

/// <summary>The default source of <see cref="IQueueStore.ReadCancelRequestsAsync"/>: the store's event stream.</summary>
internal static class CancelRequests
{
    /// <summary>
    /// Opens the event stream now, so with a store whose <see cref="IQueueStore.ReadEventsAsync"/> fixes its
    /// start position when called, a request made between a worker's start and its listener's first read is
    /// not missed (otherwise the next lease renewal reports it).
    /// </summary>
    public static IAsyncEnumerable<string> FromEvents(IQueueStore store, CancellationToken ct) =>
        CancelRequested(store.ReadEventsAsync(null, ct), ct);

    private static async IAsyncEnumerable<string> CancelRequested(IAsyncEnumerable<JobEvent> events, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in events.WithCancellation(ct).ConfigureAwait(false))
        {
            if (e.Kind == JobEventKind.CancelRequested)
            {
                yield return e.JobId;
            }
        }
    }
}
