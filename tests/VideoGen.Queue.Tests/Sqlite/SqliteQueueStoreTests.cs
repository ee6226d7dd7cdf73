using Microsoft.Data.Sqlite;
using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Sqlite;

/// <summary>What only the SQLite backend promises: many queues in one file, durable across reopen.</summary>
public sealed class SqliteQueueStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => Path.Combine(_directory, "queue.db");

    [Fact]
    public async Task Factory_OpenTwiceWithOneName_ReturnsTheSameStore()
    {
        await using var factory = new SqliteQueueStoreFactory(DbPath);

        Assert.Same(factory.Open("videos"), factory.Open("videos"));
        Assert.NotSame(factory.Open("videos"), factory.Open("other"));
    }

    [Fact]
    public async Task QueuesInOneFile_AreIsolatedByName()
    {
        await using var factory = new SqliteQueueStoreFactory(DbPath);
        var videos = factory.Open("videos");
        var other = factory.Open("other");

        await videos.EnqueueAsync(new EnqueueRequest { Id = "same-id" }, T0, Ct);
        var createdInOther = await other.EnqueueAsync(new EnqueueRequest { Id = "same-id", Payload = "other" }, T0, Ct);
        await other.PauseAsync(Ct);

        Assert.Equal(EnqueueOutcome.Created, createdInOther);
        Assert.Equal("same-id", Assert.Single(await videos.ClaimAsync(new ClaimRequest("w", 10, TimeSpan.FromSeconds(30)), T0, Ct)).Id);
        Assert.Empty(await other.ClaimAsync(new ClaimRequest("w", 10, TimeSpan.FromSeconds(30)), T0, Ct));
        Assert.Equal(1, (await other.CountsAsync(Ct))[JobState.Waiting]);
        Assert.Equal(0, (await videos.CountsAsync(Ct))[JobState.Waiting]);
        Assert.False(await videos.IsPausedAsync(Ct));
    }

    [Fact]
    public async Task WaitForWork_WakesSoon_WhenAnotherProcessEnqueues()
    {
        // Two stores opened separately share no in-process signal: as two processes sharing the file.
        await using var worker = SqliteQueueStore.Open(DbPath, "videos");
        await using var producer = SqliteQueueStore.Open(DbPath, "videos");
        Assert.Empty(await worker.ClaimAsync(new ClaimRequest("w", 1, TimeSpan.FromSeconds(30)), T0, Ct));

        var wait = worker.WaitForWorkAsync(TimeSpan.FromSeconds(60), Ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await producer.EnqueueAsync(new EnqueueRequest { Id = "from-the-api-process" }, T0, Ct);
        await Eventually.CompletesAsync(wait.ContinueWith(_ => true, TaskScheduler.Default), "the worker's wait to end after another process enqueued", TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"woke after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal("from-the-api-process", Assert.Single(await worker.ClaimAsync(new ClaimRequest("w", 1, TimeSpan.FromSeconds(30)), T0, Ct)).Id);
    }

    [Fact]
    public async Task Events_WrittenByAnotherProcess_AreReadInOrderAndResumableFromAPosition()
    {
        // Separately opened stores share nothing in memory: as the API process and a worker process sharing the file.
        await using var api = SqliteQueueStore.Open(DbPath, "videos");
        await using var worker = SqliteQueueStore.Open(DbPath, "videos");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var feed = api.ReadEventsAsync(null, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var cancels = worker.ReadCancelRequestsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await api.EnqueueManyAsync([new EnqueueRequest { Id = "a" }, new EnqueueRequest { Id = "b" }], T0, Ct);
        var claimed = await worker.ClaimAsync(new ClaimRequest("w", 2, TimeSpan.FromSeconds(30)), T0, Ct);
        await worker.ReportProgressAsync(new LeaseRef("a", claimed[0].LeaseToken), "{\"pct\":50}", T0, Ct);
        Assert.Equal(CancelOutcome.CancelRequested, await api.CancelAsync("b", "user", T0, Ct));
        await worker.CompleteAsync([new JobCompletion("a", claimed[0].LeaseToken, "done")], T0, Ct);

        var seen = new List<JobEvent>();
        while (seen.Count < 7)
        {
            Assert.True(await feed.MoveNextAsync(), "the event feed ended");
            seen.Add(feed.Current);
        }

        Assert.Equal(
            [("a", JobEventKind.Enqueued), ("b", JobEventKind.Enqueued), ("a", JobEventKind.Active), ("b", JobEventKind.Active), ("a", JobEventKind.Progress), ("b", JobEventKind.CancelRequested), ("a", JobEventKind.Completed)],
            seen.Select(e => (e.JobId, e.Kind)));
        Assert.Equal(("{\"pct\":50}", "user", "done"), (seen[4].Data, seen[5].Data, seen[6].Data));
        Assert.All(seen, e => Assert.Equal(T0, e.At));

        // The worker's cancel feed sees the API's request without a signal from it.
        Assert.True(await cancels.MoveNextAsync(), "the cancel feed ended");
        Assert.Equal("b", cancels.Current);

        // Any position resumes right after it, from a store opened later (a restarted process).
        await using var later = SqliteQueueStore.Open(DbPath, "videos");
        var resumed = new List<JobEvent>();
        await foreach (var e in later.ReadEventsAsync(seen[3].Position, cts.Token))
        {
            resumed.Add(e);
            if (resumed.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(seen.Skip(4).Select(e => e.Position), resumed.Select(e => e.Position));
    }

    [Fact]
    public async Task Events_OfOneQueue_AreReadPastAnotherQueuesBusyLog()
    {
        await using var factory = new SqliteQueueStoreFactory(DbPath);
        var videos = factory.Open("videos");
        var other = factory.Open("other");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var feed = videos.ReadEventsAsync(null, cts.Token).GetAsyncEnumerator(cts.Token);

        // More of the other queue's events than one read takes, before and after this queue's own.
        await other.EnqueueManyAsync([.. Enumerable.Range(0, 600).Select(i => new EnqueueRequest { Id = $"o-{i}" })], T0, Ct);
        await videos.EnqueueAsync(new EnqueueRequest { Id = "v-1" }, T0, Ct);
        await other.EnqueueManyAsync([.. Enumerable.Range(600, 600).Select(i => new EnqueueRequest { Id = $"o-{i}" })], T0, Ct);
        await videos.EnqueueAsync(new EnqueueRequest { Id = "v-2" }, T0, Ct);

        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(("videos", "v-1"), (feed.Current.Queue, feed.Current.JobId));
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(("videos", "v-2"), (feed.Current.Queue, feed.Current.JobId));
    }

    [Fact]
    public async Task EventLog_StaysBounded_KeepingTheNewestEvents()
    {
        await using var store = SqliteQueueStore.Open(DbPath, "videos");
        var jobs = (int)SqliteQueueStore.EventLogCapacity + 10_000;
        await store.EnqueueManyAsync([.. Enumerable.Range(0, jobs).Select(i => new EnqueueRequest { Id = $"job-{i}" })], T0, Ct);

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*), min(seq), max(seq) FROM queue_events;";
        using var reader = count.ExecuteReader();
        Assert.True(reader.Read());
        var (rows, min, max) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        Assert.Equal(jobs, max);
        Assert.InRange(rows, SqliteQueueStore.EventLogCapacity, SqliteQueueStore.EventLogCapacity + 4_096);
        Assert.Equal(max - rows + 1, min);

        // A reader from the very start resumes at the oldest event kept.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await using var feed = store.ReadEventsAsync("0", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await feed.MoveNextAsync());
        Assert.Equal(($"job-{min - 1}", min.ToString(System.Globalization.CultureInfo.InvariantCulture)), (feed.Current.JobId, feed.Current.Position));
    }

    [Fact]
    public async Task Commits_ReachTheDatabaseFile_ThroughTheBackgroundCheckpoint()
    {
        await using var store = SqliteQueueStore.Open(DbPath, "videos");
        // Far below SQLite's own checkpoint threshold: only the background checkpointer moves these pages.
        await store.EnqueueManyAsync([.. Enumerable.Range(0, 50).Select(i => new EnqueueRequest { Id = $"job-{i}" })], T0, Ct);

        await Eventually.TrueAsync(() => JobsInMainFileWithoutWal() == 50, "the 50 jobs in the database file itself (the WAL checkpointed)", TimeSpan.FromSeconds(20));
    }

    /// <summary>Rows of queue_jobs in a copy of the main database file alone: what is checkpointed, not what is still in the WAL.</summary>
    private long JobsInMainFileWithoutWal()
    {
        var copy = Path.Combine(_directory, $"main-only-{Guid.NewGuid():N}.db");
        File.Copy(DbPath, copy);
        try
        {
            using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM queue_jobs;";
            return (long)count.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            // Copied mid-checkpoint, or the table is not checkpointed yet.
            return -1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(copy);
        }
    }

    [Fact]
    public async Task ReopeningTheFile_KeepsEveryJobAndLease()
    {
        string token;
        await using (var first = SqliteQueueStore.Open(DbPath, "videos"))
        {
            await first.EnqueueManyAsync([new EnqueueRequest { Id = "a" }, new EnqueueRequest { Id = "b", Payload = "p" }], T0, Ct);
            token = Assert.Single(await first.ClaimAsync(new ClaimRequest("w", 1, TimeSpan.FromSeconds(30)), T0, Ct)).LeaseToken;
        }

        await using var reopened = SqliteQueueStore.Open(DbPath, "videos");

        Assert.Equal(JobState.Active, (await reopened.GetAsync("a", Ct))!.State);
        Assert.Equal("p", (await reopened.GetAsync("b", Ct))!.Payload);
        Assert.Equal([true], await reopened.CompleteAsync([new JobCompletion("a", token)], T0, Ct));
    }

    [Fact]
    public async Task ManyStoresOpeningOneNewFileAtOnce_MigrateItExactlyOnce()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => SqliteQueueStore.Open(DbPath, $"q{i}"), Ct)));
        try
        {
            foreach (var store in stores)
            {
                Assert.Equal(EnqueueOutcome.Created, await store.EnqueueAsync(new EnqueueRequest { Id = "x" }, T0, Ct));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
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
