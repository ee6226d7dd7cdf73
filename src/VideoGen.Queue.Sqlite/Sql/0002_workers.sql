-- 0002: workers announce themselves for the admin view (soft state, see IWorkerDirectory).
-- A row is listed while expires_at (last heartbeat + ttl, Unix ms) is in the future; announces delete expired rows.

CREATE TABLE queue_workers (
    queue          TEXT    NOT NULL,
    worker_id      TEXT    NOT NULL,
    host           TEXT    NOT NULL,
    pid            INTEGER NOT NULL,
    started_at     INTEGER NOT NULL,
    concurrency    INTEGER NOT NULL,
    running        INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    PRIMARY KEY (queue, worker_id)
) WITHOUT ROWID;

CREATE INDEX ix_queue_workers_expires ON queue_workers (expires_at);
