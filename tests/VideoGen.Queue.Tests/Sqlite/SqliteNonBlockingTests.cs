using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Sqlite;

/// <summary>
/// No SQLite store call holds its thread waiting for the database's other callers: opening a store or an
/// event feed while the writer or the reader connection is busy returns at once. A server opening a thousand
/// live streams must not tie up a thousand thread-pool threads waiting on one connection.
/// </summary>
public sealed class SqliteNonBlockingTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => Path.Combine(_directory, "queue.db");

    [Fact]
    public async Task OpeningFeeds_WhileTheReaderIsBusy_ReturnsAtOnceAndMissesNothingWrittenAfter()
    {
        await using var factory = new SqliteQueueStoreFactory(DbPath);
        var store = factory.Open("videos");
        await store.EnqueueAsync(new EnqueueRequest { Id = "before" }, T0, Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));

        IAsyncEnumerable<JobEvent> events;
        IAsyncEnumerable<string> cancels;
        using (var release = new ManualResetEventSlim())
        {
            var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var busyReader = Task.Run(
                () => factory.Database.ReadAsync(
                    _ =>
                    {
                        entered.TrySetResult();
                        return release.Wait(Held);
                    },
                    Ct),
                Ct);
            await Eventually.CompletesAsync(entered.Task, "the reader connection to be taken");
            try
            {
                var opened = Task.Run(() => (store.ReadEventsAsync(null, cts.Token), store.ReadCancelRequestsAsync(cts.Token)), Ct);
                (events, cancels) = await Eventually.CompletesAsync(opened, "the event and cancel feeds to open while the reader connection is busy", TimeSpan.FromSeconds(5));
            }
            finally
            {
                release.Set();
            }

            Assert.True(await busyReader, "the busy reader was released by the test, not by its timeout");
        }

        await store.EnqueueAsync(new EnqueueRequest { Id = "after" }, T0, Ct);
        var claimed = await store.ClaimAsync(new ClaimRequest("w", 2, TimeSpan.FromSeconds(30)), T0, Ct);
        Assert.Equal(["before", "after"], claimed.Select(j => j.Id));
        Assert.Equal(CancelOutcome.CancelRequested, await store.CancelAsync("after", "user", T0, Ct));

        // Each feed starts where the log ended when it was opened: what came before is not replayed.
        await using var feed = events.GetAsyncEnumerator(cts.Token);
        Assert.True(await feed.MoveNextAsync(), "the event feed ended");
        Assert.Equal(("after", JobEventKind.Enqueued), (feed.Current.JobId, feed.Current.Kind));
        await using var cancelFeed = cancels.GetAsyncEnumerator(cts.Token);
        Assert.True(await cancelFeed.MoveNextAsync(), "the cancel feed ended");
        Assert.Equal("after", cancelFeed.Current);
    }

    [Fact]
    public async Task OpeningAStore_WhileTheWriterIsBusy_ReturnsAtOnceAndItsFirstWriteAddsTheQueue()
    {
        await using var factory = new SqliteQueueStoreFactory(DbPath);
        IQueueStore store;
        using (var release = new ManualResetEventSlim())
        {
            var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var busyWriter = Task.Run(
                () => factory.Database.WriteAsync(
                    _ =>
                    {
                        entered.TrySetResult();
                        return release.Wait(Held);
                    },
                    Ct),
                Ct);
            await Eventually.CompletesAsync(entered.Task, "the writer connection to be taken");
            try
            {
                store = await Eventually.CompletesAsync(Task.Run(() => factory.Open("videos"), Ct), "a store to open while the writer is busy", TimeSpan.FromSeconds(5));
            }
            finally
            {
                release.Set();
            }

            Assert.True(await busyWriter, "the busy writer was released by the test, not by its timeout");
        }

        // A pause as the store's very first write still holds (it needs the queue's settings row).
        await store.PauseAsync(Ct);
        Assert.True(await store.IsPausedAsync(Ct));
        await store.EnqueueAsync(new EnqueueRequest { Id = "a" }, T0, Ct);
        Assert.Empty(await store.ClaimAsync(new ClaimRequest("w", 1, TimeSpan.FromSeconds(30)), T0, Ct));
        await store.ResumeAsync(Ct);
        Assert.Equal("a", Assert.Single(await store.ClaimAsync(new ClaimRequest("w", 1, TimeSpan.FromSeconds(30)), T0, Ct)).Id);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
