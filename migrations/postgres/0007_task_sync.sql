-- Offline-first sync (additive): tasks with client-chosen ids, deletes kept as tombstones for
-- AUTHDESK_SYNC_TOMBSTONE_DAYS, and a per-user change counter. Every change to a user's tasks
-- takes the counter's next value inside its write transaction, under a per-user lock, so versions
-- are gap-free and in commit order however many instances write. Rows from before this migration
-- have version 0 and sort by `seq`.
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS tasks_user_version ON tasks (user_id, version, seq);
CREATE TABLE IF NOT EXISTS task_versions (
    user_id UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);
