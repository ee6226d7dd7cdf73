using System.Runtime.CompilerServices;

namespace VideoGen.Queue;

/// <summary>The default source of <see cref="IQueueStore.ReadCancelRequestsAsync"/>: the store's event stream.</summary>
internal static class CancelRequests
{
    public static async IAsyncEnumerable<string> FromEvents(IQueueStore store, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in store.ReadEventsAsync(null, ct).WithCancellation(ct).ConfigureAwait(false))
        {
            if (e.Kind == JobEventKind.CancelRequested)
            {
                yield return e.JobId;
            }
        }
    }
}
