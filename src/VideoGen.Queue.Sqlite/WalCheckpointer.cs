using Microsoft.Data.Sqlite;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// Moves the WAL into the database file from a background connection about once a second, so no
/// enqueue, claim or completion pays for a checkpoint (its page writes and fsyncs) on its own commit.
/// SQLite's automatic checkpoint stays on only as a backstop, at a far higher WAL size, in case this
/// loop falls behind.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>WAL pages after which a commit checkpoints by itself (SQLite's default is 1,000).</summary>
    public const int BackstopPages = 20_000;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _commits;
    private long _commitsAtLastCheckpoint;

    public WalCheckpointer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var timeout = _connection.CreateCommand())
        {
            timeout.CommandText = "PRAGMA busy_timeout = 1000;";
            timeout.ExecuteNonQuery();
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Called after each commit; a quiet database is not checkpointed again and again.</summary>
    public void NoteCommit() => Interlocked.Increment(ref _commits);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting.
        }

        _connection.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        using var checkpoint = _connection.CreateCommand();
        // PASSIVE: copies what it can without waiting for readers or blocking writers.
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            var commits = Interlocked.Read(ref _commits);
            if (commits == _commitsAtLastCheckpoint)
            {
                continue;
            }

            try
            {
                checkpoint.ExecuteNonQuery();
                _commitsAtLastCheckpoint = commits;
            }
            catch (SqliteException)
            {
                // Another process is checkpointing this file, or it is busy: the next tick tries again,
                // and the backstop keeps the WAL bounded meanwhile.
            }
        }
    }
}
