-- Users keep the original design's columns: id, email, password_hash, created_at, last_login_at.
-- UUIDs and timestamps are TEXT: UUIDs hyphenated lower-case, timestamps RFC 3339 UTC with
-- microseconds ("2026-01-02T03:04:05.000006Z"), so text order is time order.
CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_login_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_normalized_key ON users (lower(email));

CREATE TABLE IF NOT EXISTS tasks (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- insertion order breaks created_at ties
    id         TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    completed  INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_user_newest ON tasks (user_id, created_at DESC, seq DESC);
