-- 0004: a wake noted on a running job (IQueueStore.PromoteAsync): its next release runs it at once.

ALTER TABLE queue_jobs ADD COLUMN wake_requested INTEGER NOT NULL DEFAULT 0;
