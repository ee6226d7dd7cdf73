using Microsoft.Data.Sqlite;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// The worker directory of the SQLite backend: table <c>queue_workers</c> in the queue database, written
/// through the factory's one writer connection. Expired rows are never listed; each announce deletes them,
/// so the table holds at most the workers seen within one ttl. Registered by <c>AddSqliteQueue</c>.
/// </summary>
public sealed class SqliteWorkerDirectory(SqliteQueueStoreFactory factory, TimeProvider time) : IWorkerDirectory
{
    private const string DeleteExpired = "DELETE FROM queue_workers WHERE expires_at <= $now;";

    private const string Upsert = """
        INSERT INTO queue_workers (queue, worker_id, host, pid, started_at, concurrency, running, last_heartbeat, expires_at)
        VALUES ($q, $id, $host, $pid, $started, $conc, $running, $beat, $exp)
        ON CONFLICT (queue, worker_id) DO UPDATE SET
            host = excluded.host, pid = excluded.pid, started_at = excluded.started_at, concurrency = excluded.concurrency,
            running = excluded.running, last_heartbeat = excluded.last_heartbeat, expires_at = excluded.expires_at;
        """;

    private const string SelectLive = """
        SELECT queue, worker_id, host, pid, started_at, concurrency, running, last_heartbeat
        FROM queue_workers WHERE expires_at > $now ORDER BY queue, worker_id;
        """;

    private const string DeleteWorker = "DELETE FROM queue_workers WHERE worker_id = $id;";

    public Task AnnounceAsync(WorkerInfo info, TimeSpan ttl, CancellationToken ct = default)
    {
        Validate(info, ttl);
        var now = Ms(time.GetUtcNow());
        return factory.Database.WriteAsync(s =>
        {
            s.Command(DeleteExpired).With("$now", now).ExecuteNonQuery();
            return s.Command(Upsert)
                .With("$q", info.Queue)
                .With("$id", info.WorkerId)
                .With("$host", info.Host)
                .With("$pid", info.ProcessId)
                .With("$started", Ms(info.StartedAt))
                .With("$conc", info.Concurrency)
                .With("$running", info.RunningJobs)
                .With("$beat", Ms(info.LastHeartbeat))
                .With("$exp", Ms(info.LastHeartbeat + ttl))
                .ExecuteNonQuery();
        }, ct);
    }

    public Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken ct = default)
    {
        var now = Ms(time.GetUtcNow());
        return factory.Database.ReadAsync<IReadOnlyList<WorkerInfo>>(s =>
        {
            var list = new List<WorkerInfo>();
            using var reader = s.Command(SelectLive).With("$now", now).ExecuteReader();
            while (reader.Read())
            {
                list.Add(Read(reader));
            }

            return list;
        }, ct);
    }

    public Task<bool> RemoveAsync(string workerId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return factory.Database.WriteAsync(s => s.Command(DeleteWorker).With("$id", workerId).ExecuteNonQuery() > 0, ct);
    }

    internal static void Validate(WorkerInfo info, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrWhiteSpace(info.WorkerId, "WorkerInfo.WorkerId");
        ArgumentException.ThrowIfNullOrWhiteSpace(info.Queue, "WorkerInfo.Queue");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
    }

    private static WorkerInfo Read(SqliteDataReader r) => new()
    {
        Queue = r.GetString(0),
        WorkerId = r.GetString(1),
        Host = r.GetString(2),
        ProcessId = r.GetInt32(3),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
        Concurrency = r.GetInt32(5),
        RunningJobs = r.GetInt32(6),
        LastHeartbeat = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
    };

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}
