using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Conformance;

namespace VideoGen.Queue.Tests.Sqlite;

/// <summary>The conformance suite on the SQLite backend; every test gets its own database file.</summary>
public sealed class SqliteQueueConformanceTests : QueueStoreConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));

    protected override Task<IQueueStore> CreateStoreAsync(string queueName) =>
        Task.FromResult<IQueueStore>(SqliteQueueStore.Open(Path.Combine(_directory, queueName + ".db"), queueName));

    protected override ValueTask DisposeBackendAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets the rest.
        }

        return ValueTask.CompletedTask;
    }
}
