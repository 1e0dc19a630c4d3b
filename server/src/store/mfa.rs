//! The second factor: TOTP factors, recovery codes, and sign-ins waiting for a code.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::record;
use super::sessions::end_sessions;
use super::sql::{args, Conn, Row};
use super::{AuditEvent, Store, StoreResult};

/// A user's TOTP factor: on once `secret` is set; `pending_secret` between setup and the first code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpFactor {
    pub secret: Option<String>,
    pub pending_secret: Option<String>,
}

/// What turns a pending TOTP secret on: the secret the first code was checked against, that code's
/// time step, and the hashes of the new recovery codes.
#[derive(Debug, Clone)]
pub struct TotpActivation {
    pub pending: String,
    pub step: i64,
    pub recovery_hashes: Vec<String>,
}

/// A sign-in whose password was right, waiting for its second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaChallenge {
    pub token_hash: String,
    pub user_id: Uuid,
    /// The session label the sign-in asked for.
    pub label: String,
    pub expires_at: DateTime<Utc>,
    pub spent_at: Option<DateTime<Utc>>,
}

fn challenge(row: &Row) -> StoreResult<MfaChallenge> {
    Ok(MfaChallenge {
        token_hash: row.text(0)?,
        user_id: row.uuid(1)?,
        label: row.text(2)?,
        expires_at: row.time(3)?,
        spent_at: row.opt_time(4)?,
    })
}

async fn insert_recovery_codes(tx: &mut Conn<'_>, user: Uuid, hashes: &[String]) -> StoreResult<()> {
    tx.execute("DELETE FROM recovery_codes WHERE user_id = $1", args![user]).await?;
    for hash in hashes {
        tx.execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", args![user, hash]).await?;
    }
    Ok(())
}

impl Store {
    pub async fn totp_factor(&self, user: Uuid) -> StoreResult<Option<TotpFactor>> {
        let sql = "SELECT secret, pending_secret FROM totp_factors WHERE user_id = $1";
        self.query_opt(sql, args![user], |row| {
            Ok(TotpFactor { secret: row.opt_text(0)?, pending_secret: row.opt_text(1)? })
        })
        .await
    }

    /// Whether the factor is on, and how many recovery codes are unused: one round trip.
    pub async fn mfa_status(&self, user: Uuid) -> StoreResult<(bool, u32)> {
        let sql = "SELECT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1 AND secret IS NOT NULL),
                          (SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL)";
        let status = self.query_opt(sql, args![user], |row| Ok((row.bool(0)?, row.int(1)?))).await?;
        Ok(status.map_or((false, 0), |(on, left)| (on, left.try_into().unwrap_or(0))))
    }

    /// Records a new pending secret (replacing an unconfirmed one); `false`, changing nothing, when
    /// the factor is already on.
    pub async fn begin_totp_setup(&self, user: Uuid, pending_secret: &str) -> StoreResult<bool> {
        let sql = "INSERT INTO totp_factors (user_id, pending_secret) VALUES ($1, $2)
                   ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret
                   WHERE totp_factors.secret IS NULL";
        Ok(self.execute(sql, args![user, pending_secret]).await? > 0)
    }

    /// In one transaction: the pending secret becomes the factor (only if it is still the one
    /// confirmed), its step is the first used one, the recovery codes are replaced, and every
    /// session but `keep` ends with the older session-less tokens and waiting sign-ins — none of
    /// them passed the second factor.
    pub async fn enable_totp(
        &self,
        user: Uuid,
        activation: TotpActivation,
        keep: Option<Uuid>,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let TotpActivation { pending, step, recovery_hashes } = activation;
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "UPDATE totp_factors SET secret = pending_secret, pending_secret = NULL, enabled_at = $1,
                                  last_used_step = $2
                           WHERE user_id = $3 AND secret IS NULL AND pending_secret = $4";
                if tx.execute(sql, args![at, step, user, pending]).await? == 0 {
                    return Ok(false);
                }
                insert_recovery_codes(tx, user, &recovery_hashes).await?;
                end_sessions(tx, user, keep, at).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }

    /// One sealed TOTP secret (a pending one counts), to check this server's secret opens them.
    pub async fn some_sealed_totp_secret(&self) -> StoreResult<Option<(Uuid, String)>> {
        let sql = "SELECT user_id, coalesce(secret, pending_secret) FROM totp_factors
                   WHERE coalesce(secret, pending_secret) LIKE 'v1.%' LIMIT 1";
        self.query_opt(sql, args![], |row| Ok((row.uuid(0)?, row.text(1)?))).await
    }

    /// TOTP secrets (on or pending) stored as they are, as older versions did.
    pub async fn unsealed_totp_secrets(&self) -> StoreResult<Vec<(Uuid, String)>> {
        let sql = "SELECT user_id, secret FROM totp_factors WHERE secret NOT LIKE 'v1.%'
                   UNION ALL
                   SELECT user_id, pending_secret FROM totp_factors WHERE pending_secret NOT LIKE 'v1.%'";
        self.query(sql, args![], |row| Ok((row.uuid(0)?, row.text(1)?))).await
    }

    /// Replaces a TOTP secret (on or pending) that is still `old` by `new`.
    pub async fn replace_totp_secret(&self, user: Uuid, old: &str, new: &str) -> StoreResult<()> {
        let sql = "UPDATE totp_factors SET secret = CASE WHEN secret = $2 THEN $3 ELSE secret END,
                          pending_secret = CASE WHEN pending_secret = $2 THEN $3 ELSE pending_secret END
                   WHERE user_id = $1";
        self.execute(sql, args![user, old, new]).await.map(drop)
    }

    /// Recovery-code hashes as older versions stored them (plain SHA-256, no `k1.` key marker).
    pub async fn plain_recovery_hashes(&self) -> StoreResult<Vec<(Uuid, String)>> {
        let sql = "SELECT user_id, code_hash FROM recovery_codes WHERE code_hash NOT LIKE 'k1.%'";
        self.query(sql, args![], |row| Ok((row.uuid(0)?, row.text(1)?))).await
    }

    /// Replaces a recovery code's hash that is still `old` by `new`.
    pub async fn replace_recovery_hash(&self, user: Uuid, old: &str, new: &str) -> StoreResult<()> {
        let sql = "UPDATE recovery_codes SET code_hash = $3 WHERE user_id = $1 AND code_hash = $2";
        self.execute(sql, args![user, old, new]).await.map(drop)
    }

    /// Marks `step` used if it is later than the last used one; `false` for a replayed (or older)
    /// code. Atomic, so two requests with one code cannot both pass.
    pub async fn use_totp_step(&self, user: Uuid, step: i64) -> StoreResult<bool> {
        let sql = "UPDATE totp_factors SET last_used_step = $1
                   WHERE user_id = $2 AND secret IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $1)";
        Ok(self.execute(sql, args![step, user]).await? > 0)
    }

    /// Spends an unused recovery code; `false` when there is no such unused code.
    pub async fn use_recovery_code(&self, user: Uuid, code_hash: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let sql = "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL";
        Ok(self.execute(sql, args![at, user, code_hash]).await? > 0)
    }

    /// Replaces every recovery code of the user.
    pub async fn replace_recovery_codes(&self, user: Uuid, hashes: Vec<String>, audit: &AuditEvent) -> StoreResult<()> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                insert_recovery_codes(tx, user, &hashes).await?;
                record(tx, &audit).await
            })
        })
        .await
    }

    /// Removes the factor and its recovery codes.
    pub async fn disable_totp(&self, user: Uuid, audit: &AuditEvent) -> StoreResult<()> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                tx.execute("DELETE FROM recovery_codes WHERE user_id = $1", args![user]).await?;
                tx.execute("DELETE FROM totp_factors WHERE user_id = $1", args![user]).await?;
                record(tx, &audit).await
            })
        })
        .await
    }

    /// Records a sign-in waiting for its second factor, and an upgraded hash when given — only if the
    /// user's hash is still `verified_hash` (as [`Store::open_session`]); `false` otherwise.
    pub async fn open_mfa_challenge(
        &self,
        c: &MfaChallenge,
        verified_hash: &str,
        upgraded_hash: Option<String>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (c, verified, audit) = (c.clone(), verified_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql =
                    "UPDATE users SET password_hash = coalesce($1, password_hash) WHERE id = $2 AND password_hash = $3";
                if tx.execute(sql, args![upgraded_hash, c.user_id, verified]).await? == 0 {
                    return Ok(false);
                }
                let sql = "INSERT INTO mfa_challenges (token_hash, user_id, label, expires_at) VALUES ($1, $2, $3, $4)";
                tx.execute(sql, args![c.token_hash, c.user_id, c.label, c.expires_at]).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }

    /// Takes one of a live challenge's `max` tries, before its code is checked, and returns it;
    /// `None` when it is spent, expired, out of tries or unknown. Taking and reading are one
    /// statement, so concurrent codes on one challenge get `max` checks in all (as
    /// [`Store::take_code_try`]).
    pub async fn take_mfa_challenge_try(
        &self,
        token_hash: &str,
        max: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<MfaChallenge>> {
        let sql = "UPDATE mfa_challenges SET failures = failures + 1
                   WHERE token_hash = $1 AND spent_at IS NULL AND expires_at > $2 AND failures < $3
                   RETURNING token_hash, user_id, label, expires_at, spent_at";
        Ok(self.execute_returning(sql, args![token_hash, now, max], challenge).await?.into_iter().next())
    }

    /// Spends the challenge; `false` when another request spent it first.
    pub async fn spend_mfa_challenge(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let sql = "UPDATE mfa_challenges SET spent_at = $1 WHERE token_hash = $2 AND spent_at IS NULL";
        Ok(self.execute(sql, args![at, token_hash]).await? > 0)
    }
}
