namespace VideoGen.Queue.Sqlite;

/// <summary>
/// Every statement the SQLite store runs, in one place. Parameters: <c>$q</c> is always the queue
/// name, <c>$now</c> the caller's clock in Unix milliseconds. Every write to an active job names the
/// expected state and the lease token (<c>state = 2 AND lease_token = $token</c>).
/// </summary>
internal static class SqliteStatements
{
    public const string JobColumns =
        "seq, id, state, payload, priority, grp, attempt, max_attempts, created_at, run_at, started_at, " +
        "finished_at, result, error, progress, worker_id, lease_expires_at, cancel_requested";

    public const string DataVersion = "PRAGMA data_version;";

    public const string EnsureQueue = "INSERT INTO queue_meta (queue) VALUES ($q) ON CONFLICT DO NOTHING;";

    public const string Enqueue = """
        INSERT INTO queue_jobs (queue, id, state, payload, priority, grp, max_attempts,
                                backoff_base_ms, backoff_max_ms, backoff_jitter, created_at, run_at)
        VALUES ($q, $id, $state, $payload, $priority, $grp, $max, $bb, $bm, $bj, $now, $run_at)
        ON CONFLICT (queue, id) DO NOTHING;
        """;

    /// <summary>Delayed jobs that are due become waiting (index on run_at of delayed jobs).</summary>
    public const string PromoteDue = "UPDATE queue_jobs SET state = 0 WHERE queue = $q AND state = 1 AND run_at <= $now;";

    public const string SelectMeta =
        "SELECT paused, active, global_concurrency, rate_limit, rate_window_ms, max_active_per_group FROM queue_meta WHERE queue = $q;";

    public const string PruneStarts = "DELETE FROM queue_starts WHERE queue = $q AND at <= $cutoff;";

    public const string SumStarts = "SELECT COALESCE(SUM(n), 0) FROM queue_starts WHERE queue = $q AND at > $cutoff;";

    public const string InsertStarts = "INSERT INTO queue_starts (queue, at, n) VALUES ($q, $now, $n);";

    /// <summary>(priority, group) pairs with waiting jobs, in scheduling order: priority, then the group served longest ago.</summary>
    public const string EligibleGroups = """
        SELECT r.priority, r.grp, r.ready, g.active
        FROM queue_ready r JOIN queue_groups g ON g.queue = r.queue AND g.grp = r.grp
        WHERE r.queue = $q AND r.ready > 0 AND ($maxg IS NULL OR g.active < $maxg)
        ORDER BY r.priority DESC, g.last_served, g.gid
        LIMIT $limit;
        """;

    /// <summary>The oldest waiting jobs of one group at one priority (partial index on waiting jobs).</summary>
    public const string GroupHeads =
        "SELECT seq FROM queue_jobs WHERE queue = $q AND state = 0 AND priority = $priority AND grp = $grp ORDER BY seq LIMIT $n;";

    /// <summary>Leases the picked jobs; each claim starts an attempt. <c>$seqs</c> is a JSON array.</summary>
    public const string Claim = """
        UPDATE queue_jobs
        SET state = 2, attempt = attempt + 1, started_at = $now, worker_id = $worker,
            lease_token = $token || seq, lease_expires_at = $expires
        WHERE seq IN (SELECT value FROM json_each($seqs)) AND state = 0
        RETURNING seq, id, payload, grp, priority, attempt, max_attempts, backoff_base_ms, backoff_max_ms, backoff_jitter, lease_token;
        """;

    public const string Complete = """
        UPDATE queue_jobs
        SET state = 3, finished_at = $now, result = $result, lease_token = NULL, lease_expires_at = NULL
        WHERE queue = $q AND id = $id AND state = 2 AND lease_token = $token
        RETURNING grp;
        """;

    /// <summary>
    /// The active counters a batch of completions frees, once per batch: completions skip the per-row
    /// state trigger (migration 0003), so <c>Complete</c> applies these in the same transaction.
    /// </summary>
    public const string CompletedMetaCounters = """
        UPDATE queue_meta SET active = active - $n WHERE queue = $q;
        """;

    /// <summary>The per-group part of <see cref="CompletedMetaCounters"/>, once per group in the batch.</summary>
    public const string CompletedGroupCounters = """
        UPDATE queue_groups SET active = active - $n WHERE queue = $q AND grp = $grp;
        """;

    /// <summary>Retry (delayed or waiting) while attempts remain and no cancel was asked; else failed (or canceled).</summary>
    public const string Fail = """
        UPDATE queue_jobs
        SET state = CASE WHEN cancel_requested = 1 THEN 5
                         WHEN $retryable = 1 AND attempt < max_attempts THEN (CASE WHEN $retry_at > $now THEN 1 ELSE 0 END)
                         ELSE 4 END,
            run_at = CASE WHEN cancel_requested = 0 AND $retryable = 1 AND attempt < max_attempts THEN $retry_at ELSE run_at END,
            finished_at = CASE WHEN cancel_requested = 1 OR $retryable = 0 OR attempt >= max_attempts THEN $now ELSE NULL END,
            error = $error, lease_token = NULL, lease_expires_at = NULL
        WHERE queue = $q AND id = $id AND state = 2 AND lease_token = $token
        RETURNING state;
        """;

    /// <summary>Gives the attempt back; a job someone asked to cancel ends canceled instead.</summary>
    public const string Release = """
        UPDATE queue_jobs
        SET state = CASE WHEN cancel_requested = 1 THEN 5 WHEN $run_at > $now AND wake_requested = 0 THEN 1 ELSE 0 END,
            attempt = CASE WHEN cancel_requested = 1 THEN attempt ELSE MAX(attempt - 1, 0) END,
            run_at = CASE WHEN wake_requested = 1 THEN $now ELSE $run_at END,
            finished_at = CASE WHEN cancel_requested = 1 THEN $now ELSE NULL END,
            lease_token = NULL, lease_expires_at = NULL, wake_requested = 0
        WHERE queue = $q AND id = $id AND state = 2 AND lease_token = $token
        RETURNING state;
        """;

    /// <summary>A delayed (parked) job becomes waiting now; its attempt count and place in line (seq) stay.</summary>
    public const string PromoteDelayed = "UPDATE queue_jobs SET state = 0, run_at = $now WHERE queue = $q AND id = $id AND state = 1;";

    /// <summary>A running job's next release runs it at once (see <see cref="Release"/>).</summary>
    public const string NoteWake = "UPDATE queue_jobs SET wake_requested = 1 WHERE queue = $q AND id = $id AND state = 2;";

    public const string MarkCanceled = """
        UPDATE queue_jobs
        SET state = 5, finished_at = $now, error = $reason, lease_token = NULL, lease_expires_at = NULL
        WHERE queue = $q AND id = $id AND state = 2 AND lease_token = $token;
        """;

    public const string ExtendLease = """
        UPDATE queue_jobs SET lease_expires_at = $expires
        WHERE queue = $q AND id = $id AND state = 2 AND lease_token = $token
        RETURNING cancel_requested;
        """;

    public const string Progress =
        "UPDATE queue_jobs SET progress = $progress WHERE queue = $q AND id = $id AND state = 2 AND lease_token = $token;";

    /// <summary>Expired leases: back to waiting, or failed when no attempts are left, or canceled if a cancel was asked.</summary>
    public const string RecoverExpired = """
        UPDATE queue_jobs
        SET state = CASE WHEN cancel_requested = 1 THEN 5 WHEN attempt >= max_attempts THEN 4 ELSE 0 END,
            run_at = $now,
            finished_at = CASE WHEN cancel_requested = 1 OR attempt >= max_attempts THEN $now ELSE NULL END,
            error = CASE WHEN cancel_requested = 1 THEN 'canceled' ELSE 'lease expired: the worker stopped renewing it' END,
            lease_token = NULL, lease_expires_at = NULL
        WHERE seq IN (SELECT seq FROM queue_jobs WHERE queue = $q AND state = 2 AND lease_expires_at < $now LIMIT 1000)
        RETURNING id, state;
        """;

    public const string SelectState = "SELECT state FROM queue_jobs WHERE queue = $q AND id = $id;";

    public const string CancelPending = """
        UPDATE queue_jobs SET state = 5, finished_at = $now, error = $reason
        WHERE queue = $q AND id = $id AND state IN (0, 1);
        """;

    public const string RequestCancel =
        "UPDATE queue_jobs SET cancel_requested = 1 WHERE queue = $q AND id = $id AND state = 2;";

    public const string Get = "SELECT " + JobColumns + " FROM queue_jobs WHERE queue = $q AND id = $id;";

    /// <summary>
    /// Each state counted through its own partial index. States are literals throughout: the planner
    /// uses a partial index only when the query names its state.
    /// </summary>
    public const string Counts = """
        SELECT 0, COUNT(*) FROM queue_jobs WHERE queue = $q AND state = 0
        UNION ALL SELECT 1, COUNT(*) FROM queue_jobs WHERE queue = $q AND state = 1
        UNION ALL SELECT 2, COUNT(*) FROM queue_jobs WHERE queue = $q AND state = 2
        UNION ALL SELECT 3, COUNT(*) FROM queue_jobs WHERE queue = $q AND state = 3
        UNION ALL SELECT 4, COUNT(*) FROM queue_jobs WHERE queue = $q AND state = 4
        UNION ALL SELECT 5, COUNT(*) FROM queue_jobs WHERE queue = $q AND state = 5;
        """;

    /// <summary>One page of a state, oldest first.</summary>
    public static string List(JobState state) =>
        "SELECT " + JobColumns + $" FROM queue_jobs WHERE queue = $q AND state = {(int)state} AND seq > $after ORDER BY seq LIMIT $limit;";

    public const string Retry = """
        UPDATE queue_jobs
        SET state = 0, attempt = 0, run_at = $now, started_at = NULL, finished_at = NULL, result = NULL, error = NULL,
            progress = NULL, cancel_requested = 0, lease_token = NULL, lease_expires_at = NULL
        WHERE queue = $q AND id = $id AND state IN (4, 5);
        """;

    public const string Remove = "DELETE FROM queue_jobs WHERE queue = $q AND id = $id AND state <> 2;";

    public const string SetPaused = "UPDATE queue_meta SET paused = $paused WHERE queue = $q;";

    public const string SelectPaused = "SELECT paused FROM queue_meta WHERE queue = $q;";

    public const string SetLimits = """
        UPDATE queue_meta
        SET global_concurrency = $gc, rate_limit = $rate, rate_window_ms = $window, max_active_per_group = $maxg
        WHERE queue = $q;
        """;

    public static string TrimByAge(JobState state) =>
        $"DELETE FROM queue_jobs WHERE queue = $q AND state = {(int)state} AND finished_at < $cutoff;";

    /// <summary>Keeps the <c>$keep</c> most recently finished; the sort is over one state's retained jobs, so bounded.</summary>
    public static string TrimByCount(JobState state) => $"""
        DELETE FROM queue_jobs WHERE seq IN (
            SELECT seq FROM queue_jobs WHERE queue = $q AND state = {(int)state}
            ORDER BY finished_at DESC, seq DESC LIMIT -1 OFFSET $keep);
        """;

    /// <summary>Pause flag, rate settings, earliest delayed run-at, earliest start in the rate window, whether jobs wait.</summary>
    public const string NextDue = """
        SELECT paused, rate_limit, rate_window_ms,
               (SELECT MIN(run_at) FROM queue_jobs WHERE queue = $q AND state = 1),
               (SELECT MIN(at) FROM queue_starts WHERE queue = $q),
               EXISTS (SELECT 1 FROM queue_ready WHERE queue = $q AND ready > 0)
        FROM queue_meta WHERE queue = $q;
        """;

    // The event log (0003_events.sql): seq is the rowid, so it only grows while the newest row is kept.
    /// <summary>All events of one write from one JSON array of [job id, kind, at, data] (one statement, not one per event).</summary>
    public const string InsertEvents = """
        INSERT INTO queue_events (queue, job_id, kind, at, data)
        SELECT $q, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
        FROM json_each($events) ORDER BY key;
        """;

    public const string LastInsertRowId = "SELECT last_insert_rowid();";

    public const string ReadEvents = "SELECT seq, job_id, kind, at, data FROM queue_events WHERE seq > $after AND seq <= $upto AND queue = $q ORDER BY seq LIMIT $limit;";

    public const string EventIdsOfKind = "SELECT job_id FROM queue_events WHERE seq > $after AND seq <= $upto AND queue = $q AND kind = $kind ORDER BY seq;";

    public const string LastEventSeq = "SELECT COALESCE(MAX(seq), 0) FROM queue_events;";

    public const string TrimEvents = "DELETE FROM queue_events WHERE seq <= $upto;";
}
