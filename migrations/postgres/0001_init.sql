-- Users keep the original design's columns: id, email, password_hash, created_at, last_login_at.
-- IF NOT EXISTS: a database the original design created already has this table and keeps it as is.
CREATE TABLE IF NOT EXISTS users (
    id            UUID PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at TIMESTAMPTZ
);
-- Lookups go through lower(email), so rows written with mixed case by older clients still match.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_normalized_key ON users (lower(email));

CREATE TABLE IF NOT EXISTS tasks (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- breaks created_at ties
    id         UUID NOT NULL UNIQUE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      VARCHAR(200) NOT NULL CHECK (length(title) >= 1),
    completed  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_user_newest ON tasks (user_id, created_at DESC, seq DESC);
