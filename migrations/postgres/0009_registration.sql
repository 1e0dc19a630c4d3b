-- Who may join a server: verified addresses, invitations, the clients each account signed in from.
-- Additive only.

-- When the address was proven (a mailed code, a reset code, an invitation); NULL: not yet. Accounts
-- made before this column read as unverified: a server switched to `verified` asks them to verify
-- at their next sign-in, and changes nothing else for them. `verification_pending`: registered on
-- a `verified` server and never verified, so a later registration for the address takes it over
-- and the pruner deletes it once old (an older account, pending or not, is never pruned).
ALTER TABLE users ADD COLUMN IF NOT EXISTS email_verified_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN IF NOT EXISTS verification_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX IF NOT EXISTS users_verification_pending ON users (created_at) WHERE verification_pending;

-- At most one live verification code per user, as password_resets: a salted SHA-256 of the code,
-- spent by use, by a newer code, by time or by a few wrong tries.
CREATE TABLE IF NOT EXISTS email_verifications (
    user_id    UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS email_verifications_expires ON email_verifications (expires_at);

-- Pending invitations: the code's SHA-256 only (it has 80 random bits, so no salt is needed to
-- keep it from being guessed). Deleted when used, revoked or expired; the audit log remembers.
CREATE TABLE IF NOT EXISTS invitations (
    id         UUID PRIMARY KEY,
    email      VARCHAR(254) NOT NULL,
    role       TEXT NOT NULL,
    code_hash  TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE INDEX IF NOT EXISTS invitations_expires ON invitations (expires_at);

-- The clients an account signed in from: a hash of the client's name and network (no free text
-- an outsider could grow), at most a few dozen per account, the least recently seen dropped first.
CREATE TABLE IF NOT EXISTS known_clients (
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    first_seen  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, fingerprint)
);
