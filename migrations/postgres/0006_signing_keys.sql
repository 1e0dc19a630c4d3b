-- Ed25519 keys for access tokens (AUTHDESK_TOKEN_SIGNING=eddsa), shared by every instance. Additive.
-- A key signs from `activates_at` until the next generation's `activates_at`, and verifies until
-- every token it signed has expired; then the background task deletes it.
CREATE TABLE IF NOT EXISTS signing_keys (
    kid          TEXT PRIMARY KEY,
    generation   BIGINT NOT NULL UNIQUE,
    algorithm    TEXT NOT NULL,
    -- The public key as the JWK's `x` (base64url).
    public_key   TEXT NOT NULL,
    -- The PKCS#8 private key sealed with a key derived from BETTER_AUTH_SECRET (server/src/auth/signing.rs).
    private_key  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    activates_at TIMESTAMPTZ NOT NULL
);
