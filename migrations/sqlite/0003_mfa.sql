-- The second factor, recovery codes, pending sign-ins. See migrations/postgres/0003_mfa.sql.
CREATE TABLE IF NOT EXISTS totp_factors (
    user_id        TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret         TEXT,
    pending_secret TEXT,
    enabled_at     TEXT,
    last_used_step INTEGER
);

CREATE TABLE IF NOT EXISTS recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE IF NOT EXISTS mfa_challenges (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    spent_at   TEXT
);
CREATE INDEX IF NOT EXISTS mfa_challenges_user ON mfa_challenges (user_id);
CREATE INDEX IF NOT EXISTS mfa_challenges_expires ON mfa_challenges (expires_at);
