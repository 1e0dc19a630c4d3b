-- Roles, disabled accounts, the audit log. Additive only.

-- `user` or `admin`. A disabled account keeps its data; its sessions were ended when it was disabled.
ALTER TABLE users ADD COLUMN IF NOT EXISTS role TEXT NOT NULL DEFAULT 'user';
ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled_at TIMESTAMPTZ;

-- What happened, to whom, from where: written in the transaction of the change it records. No
-- foreign keys: the record of an account outlives the account. Never a password, code or token.
CREATE TABLE IF NOT EXISTS audit_events (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    type       TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    user_id    UUID,
    email      TEXT,
    client_ip  TEXT,
    client     TEXT,
    session_id UUID,
    request_id TEXT,
    actor_id   UUID,
    details    TEXT
);
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at);
CREATE INDEX IF NOT EXISTS audit_events_user ON audit_events (user_id, id);
CREATE INDEX IF NOT EXISTS audit_events_type ON audit_events (type, id);
