using Microsoft.Data.Sqlite;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// One queue database file opened by this process: a single writer connection (every write runs in
/// a <c>BEGIN IMMEDIATE</c> transaction behind an async lock, with statements prepared once and
/// reused) and a single reader connection for queries, which in WAL mode never blocks the writer.
/// No caller ever waits for a connection with its thread: each lock is awaited (or, for
/// <see cref="LogEndNow"/>, only tried). The SQL itself runs synchronously on the caller's thread
/// (Microsoft.Data.Sqlite has no asynchronous I/O), at most one writer and one reader at a time.
/// </summary>
/// <remarks>
/// Durability: the file runs in WAL mode with <c>synchronous=NORMAL</c>. A commit is written to the
/// WAL but not fsynced; the WAL is fsynced at checkpoints. The database can never be corrupted by a
/// crash, and a process crash (the common case) loses nothing; only a power loss or OS crash can lose
/// the transactions committed since the last checkpoint (at most about a second of work: a
/// <see cref="WalCheckpointer"/> checkpoints from its own connection every second). Pass
/// <c>fullSync: true</c> for <c>synchronous=FULL</c> (every commit fsynced) at a large cost in throughput.
/// </remarks>
internal sealed class SqliteQueueDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly SqliteSession _writeSession;
    private readonly SqliteSession _readSession;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly WalCheckpointer _checkpointer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteQueueHub> _hubs = new(StringComparer.Ordinal);
    private long _logEnd;
    private bool _disposed;

    private SqliteQueueDatabase(string path, bool fullSync)
    {
        Path = path;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        };
        _writer = new SqliteConnection(builder.ToString());
        _writer.Open();
        Execute(_writer, "PRAGMA busy_timeout = 10000;");
        Execute(_writer, "PRAGMA journal_mode = WAL;");
        Execute(_writer, fullSync ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
        Execute(_writer, "PRAGMA temp_store = MEMORY;");
        Execute(_writer, $"PRAGMA wal_autocheckpoint = {WalCheckpointer.BackstopPages};");
        SqliteMigrations.Apply(_writer);
        using (var end = _writer.CreateCommand())
        {
            end.CommandText = SqliteStatements.LastEventSeq;
            _logEnd = (long)end.ExecuteScalar()!;
        }

        _checkpointer = new WalCheckpointer(builder.ToString());

        _reader = new SqliteConnection(builder.ToString());
        _reader.Open();
        Execute(_reader, "PRAGMA busy_timeout = 10000;");

        _writeSession = new SqliteSession(_writer);
        _readSession = new SqliteSession(_reader);
        _begin = Prepare(_writer, "BEGIN IMMEDIATE;");
        _commit = Prepare(_writer, "COMMIT;");
        _rollback = Prepare(_writer, "ROLLBACK;");
    }

    public string Path { get; }

    /// <summary>The in-process wake-ups of <paramref name="queue"/> shared by every store on this database.</summary>
    public SqliteQueueHub Hub(string queue) => _hubs.GetOrAdd(queue, static _ => new SqliteQueueHub());

    public static SqliteQueueDatabase Open(string path, bool fullSync = false)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new SqliteQueueDatabase(full, fullSync);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction; rolls back if it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _begin.ExecuteNonQuery();
            T result;
            try
            {
                result = work(_writeSession);
            }
            catch
            {
                _rollback.ExecuteNonQuery();
                throw;
            }

            _commit.ExecuteNonQuery();
            _checkpointer.NoteCommit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// SQLite's <c>data_version</c> as the writer connection sees it, outside any transaction: it changes
    /// only when another connection (another process, or another database opened on the file) commits.
    /// </summary>
    public async Task<long> WriterDataVersionAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return (long)_writeSession.Command(SqliteStatements.DataVersion).ExecuteScalar()!;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The event log's end (its newest event's seq) now, without waiting: read at once when the reader
    /// connection is free; while it is busy, the end this process saw last (<see cref="NoteLogEnd"/>),
    /// which is never past the real end, so a feed starting there misses nothing committed later. It may
    /// lag behind other processes' commits by the time since a read here last looked at the log.
    /// </summary>
    public long LogEndNow()
    {
        if (_readLock.Wait(0))
        {
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var end = (long)_readSession.Command(SqliteStatements.LastEventSeq).ExecuteScalar()!;
                NoteLogEnd(end);
                return end;
            }
            finally
            {
                _readLock.Release();
            }
        }

        return Interlocked.Read(ref _logEnd);
    }

    /// <summary>Records a log end that was committed (seen by a read, or written by a commit through this database).</summary>
    public void NoteLogEnd(long end)
    {
        var known = Interlocked.Read(ref _logEnd);
        while (end > known)
        {
            var found = Interlocked.CompareExchange(ref _logEnd, end, known);
            if (found == known)
            {
                return;
            }

            known = found;
        }
    }

    public async Task<T> ReadAsync<T>(Func<SqliteSession, T> work, CancellationToken ct)
    {
        await _readLock.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_readSession);
        }
        finally
        {
            _readLock.Release();
        }
    }

    /// <summary>Waits (asynchronously) for the write and read in progress, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        await _readLock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _checkpointer.DisposeAsync();
            _writeSession.Dispose();
            _readSession.Dispose();
            _begin.Dispose();
            _commit.Dispose();
            _rollback.Dispose();
            _writer.Dispose();
            _reader.Dispose();
        }
        finally
        {
            _readLock.Release();
            _writeLock.Release();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return command;
    }
}
