-- Password reset codes. See migrations/postgres/0004_password_reset.sql.
CREATE TABLE IF NOT EXISTS password_resets (
    user_id    TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS password_resets_expires ON password_resets (expires_at);
