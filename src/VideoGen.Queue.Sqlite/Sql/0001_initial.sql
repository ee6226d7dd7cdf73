-- 0001: jobs, per-queue settings and counters, fairness bookkeeping, rate-limit log.
-- Times are Unix milliseconds (UTC). States: 0 waiting, 1 delayed, 2 active, 3 completed, 4 failed, 5 canceled.

CREATE TABLE queue_jobs (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT, -- FIFO order and list cursor
    queue            TEXT    NOT NULL,
    id               TEXT    NOT NULL,
    state            INTEGER NOT NULL,
    payload          TEXT    NOT NULL,
    priority         INTEGER NOT NULL,
    grp              TEXT    NOT NULL,                  -- '' = the shared default group
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    backoff_base_ms  REAL    NOT NULL,
    backoff_max_ms   REAL    NOT NULL,
    backoff_jitter   REAL    NOT NULL,
    created_at       INTEGER NOT NULL,
    run_at           INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    result           TEXT,
    error            TEXT,
    progress         TEXT,
    worker_id        TEXT,
    lease_token      TEXT,
    lease_expires_at INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0
);

-- One partial index per live state, each shaped for the hot query on it (claim, promote, recovery),
-- and one per finished state (lists, counts, trimming). No index spans all states: a claim and a
-- completion then touch only the indexes the job enters or leaves.
CREATE UNIQUE INDEX ux_queue_jobs_id ON queue_jobs (queue, id);
CREATE INDEX ix_queue_jobs_ready ON queue_jobs (queue, priority, grp, seq) WHERE state = 0;
CREATE INDEX ix_queue_jobs_delayed ON queue_jobs (queue, run_at) WHERE state = 1;
CREATE INDEX ix_queue_jobs_lease ON queue_jobs (queue, lease_expires_at) WHERE state = 2;
CREATE INDEX ix_queue_jobs_completed ON queue_jobs (queue, seq) WHERE state = 3;
CREATE INDEX ix_queue_jobs_failed ON queue_jobs (queue, seq) WHERE state = 4;
CREATE INDEX ix_queue_jobs_canceled ON queue_jobs (queue, seq) WHERE state = 5;

-- One row per queue: pause flag, limits (shared by every worker), and counters kept by triggers.
CREATE TABLE queue_meta (
    queue                TEXT    PRIMARY KEY,
    paused               INTEGER NOT NULL DEFAULT 0,
    active               INTEGER NOT NULL DEFAULT 0,
    served               INTEGER NOT NULL DEFAULT 0, -- claims so far; the fairness clock
    global_concurrency   INTEGER,
    rate_limit           INTEGER,
    rate_window_ms       INTEGER NOT NULL DEFAULT 1000,
    max_active_per_group INTEGER
) WITHOUT ROWID;

-- Fairness groups: the group served longest ago goes first at equal priority (round robin).
CREATE TABLE queue_groups (
    gid         INTEGER PRIMARY KEY, -- creation order breaks ties
    queue       TEXT    NOT NULL,
    grp         TEXT    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 0,
    last_served INTEGER NOT NULL DEFAULT 0,
    UNIQUE (queue, grp)
);

-- Waiting jobs per (priority, group), so a claim finds eligible groups without scanning jobs.
CREATE TABLE queue_ready (
    queue    TEXT    NOT NULL,
    priority INTEGER NOT NULL,
    grp      TEXT    NOT NULL,
    ready    INTEGER NOT NULL,
    PRIMARY KEY (queue, priority, grp)
) WITHOUT ROWID;

-- Job starts within the current rate window (one row per claim call), for the sliding-window rate limit.
CREATE TABLE queue_starts (
    queue TEXT    NOT NULL,
    at    INTEGER NOT NULL,
    n     INTEGER NOT NULL
);
CREATE INDEX ix_queue_starts ON queue_starts (queue, at);

CREATE TRIGGER trg_queue_jobs_insert AFTER INSERT ON queue_jobs
BEGIN
    INSERT INTO queue_groups (queue, grp) VALUES (new.queue, new.grp) ON CONFLICT DO NOTHING;
    INSERT INTO queue_ready (queue, priority, grp, ready)
        SELECT new.queue, new.priority, new.grp, 1 WHERE new.state = 0
        ON CONFLICT (queue, priority, grp) DO UPDATE SET ready = ready + 1;
    UPDATE queue_meta SET active = active + 1, served = served + 1 WHERE new.state = 2 AND queue = new.queue;
END;

-- Completions (active -> completed) do not run this trigger: SqliteQueueStore.Complete updates the
-- active counters of queue_meta and queue_groups once per batch, in the same transaction (a hot-row
-- write per batch instead of two per job).
CREATE TRIGGER trg_queue_jobs_state AFTER UPDATE OF state ON queue_jobs
WHEN old.state <> new.state AND NOT (old.state = 2 AND new.state = 3)
BEGIN
    UPDATE queue_ready SET ready = ready - 1
        WHERE old.state = 0 AND queue = old.queue AND priority = old.priority AND grp = old.grp;
    DELETE FROM queue_ready
        WHERE old.state = 0 AND queue = old.queue AND priority = old.priority AND grp = old.grp AND ready <= 0;
    INSERT INTO queue_ready (queue, priority, grp, ready)
        SELECT new.queue, new.priority, new.grp, 1 WHERE new.state = 0
        ON CONFLICT (queue, priority, grp) DO UPDATE SET ready = ready + 1;
    UPDATE queue_meta SET active = active + 1, served = served + 1
        WHERE new.state = 2 AND queue = new.queue;
    UPDATE queue_groups SET active = active + 1,
                            last_served = (SELECT served FROM queue_meta WHERE queue = new.queue)
        WHERE new.state = 2 AND queue = new.queue AND grp = new.grp;
    UPDATE queue_meta SET active = active - 1 WHERE old.state = 2 AND queue = old.queue;
    UPDATE queue_groups SET active = active - 1 WHERE old.state = 2 AND queue = old.queue AND grp = old.grp;
END;

CREATE TRIGGER trg_queue_jobs_delete AFTER DELETE ON queue_jobs
BEGIN
    UPDATE queue_ready SET ready = ready - 1
        WHERE old.state = 0 AND queue = old.queue AND priority = old.priority AND grp = old.grp;
    DELETE FROM queue_ready
        WHERE old.state = 0 AND queue = old.queue AND priority = old.priority AND grp = old.grp AND ready <= 0;
    UPDATE queue_meta SET active = active - 1 WHERE old.state = 2 AND queue = old.queue;
    UPDATE queue_groups SET active = active - 1 WHERE old.state = 2 AND queue = old.queue AND grp = old.grp;
END;
