-- Completions (active -> completed) no longer run the per-row state trigger: SqliteQueueStore.Complete
-- updates the active counters of queue_meta and queue_groups once per batch, in the same transaction
-- (a hot-row write per batch instead of two per job). Every other state change keeps the trigger.
DROP TRIGGER trg_queue_jobs_state;

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
