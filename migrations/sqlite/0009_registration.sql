-- Who may join a server. See migrations/postgres/0009_registration.sql.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
ALTER TABLE users ADD COLUMN verification_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS users_verification_pending ON users (created_at) WHERE verification_pending;

CREATE TABLE IF NOT EXISTS email_verifications (
    user_id    TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS email_verifications_expires ON email_verifications (expires_at);

CREATE TABLE IF NOT EXISTS invitations (
    id         TEXT PRIMARY KEY NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    code_hash  TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX IF NOT EXISTS invitations_expires ON invitations (expires_at);

CREATE TABLE IF NOT EXISTS known_clients (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (user_id, fingerprint)
);
