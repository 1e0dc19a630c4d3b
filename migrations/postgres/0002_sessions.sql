-- Sessions, rotating refresh tokens, shared rate-limit counters. Additive only: existing tables
-- (including a users table the original design created) keep every column as it was.

-- Tokens without a session id (the original design's) issued before this instant are refused:
-- set by "sign out everywhere" and by a password change.
ALTER TABLE users ADD COLUMN IF NOT EXISTS tokens_not_before TIMESTAMPTZ;

CREATE TABLE IF NOT EXISTS sessions (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

-- Only a SHA-256 of each refresh token is stored. A spent token keeps, for the grace window, its
-- successor sealed with a key derived from the spent token itself, so only its holder can open it.
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash       TEXT PRIMARY KEY,
    session_id       UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    spent_at         TIMESTAMPTZ,
    successor_hash   TEXT,
    successor_sealed TEXT
);
CREATE INDEX IF NOT EXISTS refresh_tokens_session ON refresh_tokens (session_id);

-- Sliding-window counters shared by every instance on this database (login attempts per address,
-- failed logins per account).
CREATE TABLE IF NOT EXISTS auth_attempts (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope TEXT NOT NULL,
    key   TEXT NOT NULL,
    at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS auth_attempts_key ON auth_attempts (scope, key, at);
CREATE INDEX IF NOT EXISTS auth_attempts_at ON auth_attempts (at);
