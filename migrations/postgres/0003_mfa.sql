-- The second factor (TOTP), its recovery codes, and the sign-ins waiting for a code. Additive only.

-- One TOTP factor per user: `pending_secret` between setup and the first code, `secret` once on.
-- `last_used_step` is the last time step whose code was accepted: a code is accepted once.
CREATE TABLE IF NOT EXISTS totp_factors (
    user_id        UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret         TEXT,
    pending_secret TEXT,
    enabled_at     TIMESTAMPTZ,
    last_used_step BIGINT
);

-- Only a SHA-256 of each recovery code is kept; a used code keeps its row (and `used_at`).
CREATE TABLE IF NOT EXISTS recovery_codes (
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right, waiting for its second factor: the token is stored hashed,
-- lives minutes, and is spent by a success or by too many wrong codes.
CREATE TABLE IF NOT EXISTS mfa_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    spent_at   TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS mfa_challenges_user ON mfa_challenges (user_id);
CREATE INDEX IF NOT EXISTS mfa_challenges_expires ON mfa_challenges (expires_at);
