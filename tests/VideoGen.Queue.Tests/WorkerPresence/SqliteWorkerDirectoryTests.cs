using Microsoft.Data.Sqlite;
using VideoGen.Queue.Sqlite;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Tests.WorkerPresence;

/// <summary>The directory suite on SQLite (own file per test), plus what only SQLite promises.</summary>
public sealed class SqliteWorkerDirectoryTests : WorkerDirectoryTests, IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteQueueStoreFactory _factory;

    public SqliteWorkerDirectoryTests()
    {
        _factory = new SqliteQueueStoreFactory(DbPath);
        Directory = new SqliteWorkerDirectory(_factory, Time);
    }

    protected override IWorkerDirectory Directory { get; }

    private string DbPath => Path.Combine(_directory, "queue.db");

    [Fact]
    public async Task Announce_DeletesExpiredRows_SoTheTableStaysBounded()
    {
        await Directory.AnnounceAsync(Info("dead-1"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("dead-2"), Ttl, Ct);
        Time.Advance(Ttl);

        await Directory.AnnounceAsync(Info("alive"), Ttl, Ct);

        Assert.Equal(1, RowCount());
    }

    [Fact]
    public async Task Entries_AreSharedByEveryFactoryOnTheFile()
    {
        await Directory.AnnounceAsync(Info("w1", running: 2), Ttl, Ct);

        await using var otherProcess = new SqliteQueueStoreFactory(DbPath);
        var listed = await new SqliteWorkerDirectory(otherProcess, Time).ListAsync(Ct);

        Assert.Equal(2, Assert.Single(listed).RunningJobs);
    }

    private long RowCount()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM queue_workers;";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
