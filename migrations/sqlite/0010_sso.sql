-- Single sign-on. See migrations/postgres/0010_sso.sql.
CREATE TABLE IF NOT EXISTS sso_flows (
    state_hash     TEXT PRIMARY KEY NOT NULL,
    verifier       TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    app_state      TEXT NOT NULL,
    app_challenge  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sso_flows_expires ON sso_flows (expires_at);

CREATE TABLE IF NOT EXISTS sso_grants (
    code_hash      TEXT PRIMARY KEY NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject        TEXT NOT NULL,
    app_challenge  TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sso_grants_expires ON sso_grants (expires_at);

CREATE TABLE IF NOT EXISTS identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email         TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX IF NOT EXISTS identities_user ON identities (user_id);
