-- Roles, disabled accounts, the audit log. See migrations/postgres/0005_admin_audit.sql.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user';
ALTER TABLE users ADD COLUMN disabled_at TEXT;

CREATE TABLE IF NOT EXISTS audit_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    type       TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    user_id    TEXT,
    email      TEXT,
    client_ip  TEXT,
    client     TEXT,
    session_id TEXT,
    request_id TEXT,
    actor_id   TEXT,
    details    TEXT
);
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at);
CREATE INDEX IF NOT EXISTS audit_events_user ON audit_events (user_id, id);
CREATE INDEX IF NOT EXISTS audit_events_type ON audit_events (type, id);
