using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// The embedded queue backend: one SQLite file (WAL) holds any number of queues, told apart by a
/// name column. Writes go through one writer connection per file and process, each a short
/// <c>BEGIN IMMEDIATE</c> transaction, so several processes may share the file safely. Events are a log
/// in the file written with the changes they describe, so every process reads them
/// (<c>SqliteQueueStore.EventLog.cs</c>); wake-ups are signalled in-process and noticed across processes
/// by looking at the file (see <see cref="SqliteQueueHub"/>).
/// </summary>
/// <remarks>
/// Durability: <c>synchronous=NORMAL</c> in WAL mode — a process crash loses nothing committed; a power
/// loss or OS crash may lose the last commits before the WAL was synced (the file stays consistent).
/// Open with <c>fullSync: true</c> to fsync every commit.
/// The store is split by concern, with the same file names as the Redis store: <c>SqliteQueueStore.Enqueue.cs</c>,
/// <c>.Claim.cs</c> (claim, complete-and-claim), <c>.Finish.cs</c> (complete, fail, release), <c>.Leases.cs</c>
/// (renewal, progress, recovery), <c>.Cancel.cs</c> (cancel, mark canceled, the cancel feed), <c>.Wake.cs</c>
/// (idle waits, next due time), <c>.Events.cs</c> (reading events), <c>.Admin.cs</c> (inspection, retry, remove,
/// pause, limits, trimming); and, SQLite only, <c>.EventLog.cs</c> (writing events with each change).
/// </remarks>
public sealed partial class SqliteQueueStore : IQueueStore
{
    /// <summary>Between looks at the file while waiting (<c>PRAGMA data_version</c>, the event log): how soon a commit by another process is noticed.</summary>
    private static readonly TimeSpan ForeignCommitPoll = TimeSpan.FromMilliseconds(100);

    private readonly SqliteQueueDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly SqliteQueueHub _hub;
    private long _generationAtClaim;
    private long _dataVersionAtClaim;
    private volatile bool _limitsActive;

    // Set once this queue's settings row (queue_meta) is known to exist; the first write adds it.
    private volatile bool _queueRowWritten;

    internal SqliteQueueStore(SqliteQueueDatabase db, string queueName, bool ownsDatabase)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        _db = db;
        _ownsDatabase = ownsDatabase;
        QueueName = queueName;
        _hub = db.Hub(queueName);
        _generationAtClaim = _hub.WorkGeneration;
    }

    public string QueueName { get; }

    /// <summary>
    /// Opens <paramref name="queueName"/> in the file at <paramref name="databasePath"/> with its own
    /// connections (created and migrated if needed). Prefer <see cref="SqliteQueueStoreFactory"/>,
    /// which shares one writer among all queues of a file.
    /// </summary>
    public static SqliteQueueStore Open(string databasePath, string queueName, bool fullSync = false) =>
        new(SqliteQueueDatabase.Open(databasePath, fullSync), queueName, ownsDatabase: true);

    public ValueTask DisposeAsync() => _ownsDatabase ? _db.DisposeAsync() : ValueTask.CompletedTask;

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    private static string StoredGroup(string? group) => group ?? "";

    private static string? PublicGroup(string group) => group.Length == 0 ? null : group;

    private static JobInfo ReadJob(SqliteDataReader r) => new()
    {
        Id = r.GetString(1),
        State = (JobState)r.GetInt32(2),
        Payload = r.GetString(3),
        Priority = r.GetInt32(4),
        Group = PublicGroup(r.GetString(5)),
        Attempt = r.GetInt32(6),
        MaxAttempts = r.GetInt32(7),
        CreatedAt = Time(r.GetInt64(8)),
        RunAt = Time(r.GetInt64(9)),
        StartedAt = Time(r.GetNullableInt64(10)),
        FinishedAt = Time(r.GetNullableInt64(11)),
        Result = r.GetNullableString(12),
        Error = r.GetNullableString(13),
        Progress = r.GetNullableString(14),
        WorkerId = r.GetNullableString(15),
        LeaseExpiresAt = Time(r.GetNullableInt64(16)),
        CancelRequested = r.GetInt64(17) != 0,
    };

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
