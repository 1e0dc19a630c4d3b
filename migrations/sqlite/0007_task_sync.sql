-- Offline-first sync. See migrations/postgres/0007_task_sync.sql.
ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN deleted_at TEXT;
CREATE INDEX IF NOT EXISTS tasks_user_version ON tasks (user_id, version, seq);
CREATE TABLE IF NOT EXISTS task_versions (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);
