-- Ed25519 keys for access tokens. See migrations/postgres/0006_signing_keys.sql.
CREATE TABLE IF NOT EXISTS signing_keys (
    kid          TEXT PRIMARY KEY,
    generation   INTEGER NOT NULL UNIQUE,
    algorithm    TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    private_key  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    activates_at TEXT NOT NULL
);
