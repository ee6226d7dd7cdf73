-- 0003: the queues' events (state changes, progress) as a log in the file itself, written in the same
-- transaction as the change they describe, so every process sharing the file reads the same events
-- from a position (seq) and a crash never leaves a change without its event or an event without its change.
-- Bounded: each write that crosses a multiple of 4,096 deletes all but the newest SqliteQueueStore.EventLogCapacity events.

CREATE TABLE queue_events (
    seq    INTEGER PRIMARY KEY,
    queue  TEXT    NOT NULL,
    job_id TEXT    NOT NULL,
    kind   INTEGER NOT NULL,
    at     INTEGER NOT NULL,
    data   TEXT
);
