-- Password reset codes. Additive only.

-- At most one live code per user: a newer request replaces it. Only a salted SHA-256 of the code is
-- kept; the row goes when the code is used, and it stops working at `expires_at` or after a few
-- wrong tries (`failures`).
CREATE TABLE IF NOT EXISTS password_resets (
    user_id    UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS password_resets_expires ON password_resets (expires_at);
