using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>
/// Over a store whose calls are network round trips, a worker keeps two calls in flight (its second
/// lane works while the main loop waits): never more, and without losing, repeating or over-leasing a job.
/// </summary>
public sealed class OverlappingCallsTests : IAsyncDisposable
{
    private const int Jobs = 1_500;
    private const int Concurrency = 8;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ShortJobsOverARoundTrip_KeepTwoCallsInFlight_AndEveryJobRunsOnce()
    {
        await using var store = new RoundTripStore(SqliteQueueStore.Open(Path.Combine(_directory, "queue.db"), "lanes"), TimeSpan.FromMilliseconds(4));
        var runs = new ConcurrentDictionary<string, int>();
        var running = 0;
        var peakRunning = 0;
        var handler = new DelegateHandler((job, _) =>
        {
            var now = Interlocked.Increment(ref running);
            int peak;
            while (now > (peak = Volatile.Read(ref peakRunning)) && Interlocked.CompareExchange(ref peakRunning, now, peak) != peak)
            {
            }

            runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            Interlocked.Decrement(ref running);
            return Task.FromResult<string?>(null);
        });
        await store.EnqueueManyAsync([.. Enumerable.Range(0, Jobs).Select(i => new EnqueueRequest { Id = $"j{i}" })], TimeProvider.System.GetUtcNow(), Ct);

        await using var worker = new QueueWorker(store, handler, new QueueWorkerOptions { WorkerId = "lanes", Concurrency = Concurrency }, TimeProvider.System, NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(Ct);
        await Eventually.TrueAsync(async () => (await store.CountsAsync(Ct))[JobState.Completed] == Jobs, $"all {Jobs} jobs to complete", TimeSpan.FromSeconds(90));
        await worker.StopAsync(Ct);

        Assert.Equal(2, store.PeakCallsInFlight);
        Assert.Equal(Jobs, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
        Assert.True(peakRunning <= Concurrency, $"{peakRunning} handlers ran at once with concurrency {Concurrency}");
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
