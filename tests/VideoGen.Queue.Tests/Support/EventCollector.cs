using System.Collections.Concurrent;

namespace VideoGen.Queue.Tests.Support;

/// <summary>
/// Reads a store's events in the background. <see cref="StartAsync"/> returns only once the reader is
/// demonstrably live (it has seen a probe job's event), so no later event can be missed whatever the
/// backend's notion of "only new events".
/// </summary>
public sealed class EventCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<JobEvent> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;

    public IReadOnlyList<JobEvent> Events => _events.ToArray();

    public IReadOnlyList<JobEvent> For(string jobId) => _events.Where(e => e.JobId == jobId).ToArray();

    public static async Task<EventCollector> StartAsync(IQueueStore store, DateTimeOffset now)
    {
        var collector = new EventCollector();
        collector._reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in store.ReadEventsAsync(null, collector._stop.Token))
                {
                    collector._events.Enqueue(e);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });

        for (var i = 0; i < 50; i++)
        {
            var probe = $"probe-{Guid.NewGuid():N}";
            await store.EnqueueAsync(new EnqueueRequest { Id = probe, RunAt = now.AddYears(10) }, now);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 200)
            {
                if (collector._events.Any(e => e.JobId == probe))
                {
                    await store.RemoveAsync(probe);
                    return collector;
                }

                await Task.Delay(5);
            }

            await store.RemoveAsync(probe);
        }

        await collector.DisposeAsync();
        throw new InvalidOperationException("The event reader never saw a probe job's event within 10 s.");
    }

    public Task WaitForAsync(string jobId, int count, string waitingFor) =>
        Eventually.TrueAsync(() => For(jobId).Count >= count, waitingFor);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
    }
}
