-- Single sign-on through an OpenID provider. Additive only.

-- A sign-in on its way through the provider: found by the SHA-256 of the server's `state`, lives
-- ten minutes, and is deleted when the provider sends the browser back (so a `state` works once).
-- The server's PKCE verifier is sealed (with BETTER_AUTH_SECRET); what the app sent is kept to
-- hand its code back to it alone.
CREATE TABLE IF NOT EXISTS sso_flows (
    state_hash     TEXT PRIMARY KEY,
    verifier       TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    app_state      TEXT NOT NULL,
    app_challenge  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS sso_flows_expires ON sso_flows (expires_at);

-- The one-time code the app trades for a session: its SHA-256, the app's PKCE challenge, 60 s.
CREATE TABLE IF NOT EXISTS sso_grants (
    code_hash      TEXT PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject        TEXT NOT NULL,
    app_challenge  TEXT NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS sso_grants_expires ON sso_grants (expires_at);

-- Who an account is at a provider: by the provider's issuer and subject, never by email.
CREATE TABLE IF NOT EXISTS identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email         VARCHAR(254),
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX IF NOT EXISTS identities_user ON identities (user_id);
