//! Sessions and their rotating refresh tokens.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::{record, record_if_changed};
use super::sql::{args, Conn, Row};
use super::{AuditEvent, RefreshRecord, SessionRecord, Store, StoreResult};

/// The one rule for ending an account's sessions, inside the caller's transaction: every live
/// session but `keep` (all of them without one) is revoked, the account's older session-less
/// tokens are refused, and sign-ins waiting for their second factor are dropped (they passed a
/// check the caller is undoing). Used by sign-out everywhere (and everywhere else), password change
/// and reset, turning the second factor on, and disabling the account. How many sessions it ended.
pub(super) async fn end_sessions(
    tx: &mut Conn<'_>,
    user: Uuid,
    keep: Option<Uuid>,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    tx.execute("UPDATE users SET tokens_not_before = $1 WHERE id = $2", args![at, user]).await?;
    tx.execute("DELETE FROM mfa_challenges WHERE user_id = $1", args![user]).await?;
    let sql = "UPDATE sessions SET revoked_at = $1
               WHERE user_id = $2 AND revoked_at IS NULL AND id IS DISTINCT FROM $3";
    tx.execute(sql, args![at, user, keep]).await
}

macro_rules! session_columns {
    () => {
        "id, user_id, label, created_at, last_used_at, expires_at, revoked_at"
    };
}

macro_rules! refresh_columns {
    () => {
        "token_hash, session_id, created_at, expires_at, spent_at, successor_hash, successor_sealed"
    };
}

fn session(row: &Row) -> StoreResult<SessionRecord> {
    Ok(SessionRecord {
        id: row.uuid(0)?,
        user_id: row.uuid(1)?,
        label: row.text(2)?,
        created_at: row.time(3)?,
        last_used_at: row.time(4)?,
        expires_at: row.time(5)?,
        revoked_at: row.opt_time(6)?,
    })
}

fn refresh(row: &Row) -> StoreResult<RefreshRecord> {
    Ok(RefreshRecord {
        token_hash: row.text(0)?,
        session_id: row.uuid(1)?,
        created_at: row.time(2)?,
        expires_at: row.time(3)?,
        spent_at: row.opt_time(4)?,
        successor_hash: row.opt_text(5)?,
        successor_sealed: row.opt_text(6)?,
    })
}

async fn insert_refresh(tx: &mut Conn<'_>, r: &RefreshRecord) -> StoreResult<()> {
    let sql = concat!("INSERT INTO refresh_tokens (", refresh_columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7)");
    let params = args![
        &r.token_hash,
        r.session_id,
        r.created_at,
        r.expires_at,
        r.spent_at,
        r.successor_hash.clone(),
        r.successor_sealed.clone()
    ];
    tx.execute(sql, params).await.map(drop)
}

/// What [`Store::rotate_refresh`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    Rotated,
    /// Another request spent the token first.
    AlreadySpent,
    /// The session was refreshed its limit of times in the window; the oldest of those.
    Limited {
        oldest: DateTime<Utc>,
    },
}

impl Store {
    /// Records a login, in one transaction: the user's `last_login_at` (the session's start) and,
    /// when given, an upgraded password hash; the session; its first refresh token. Only if the
    /// user's hash is still `verified_hash`: `false` (nothing written) when the password changed
    /// or the account was deleted since it was read.
    pub async fn open_session(
        &self,
        session: &SessionRecord,
        refresh: &RefreshRecord,
        verified_hash: &str,
        upgraded_hash: Option<String>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (s, r, verified, audit) = (session.clone(), refresh.clone(), verified_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                // The row lock this takes also makes a concurrent password change or deletion wait
                // for the session to exist (and then end it), or win before it and leave no row.
                let sql = "UPDATE users SET last_login_at = $1, password_hash = coalesce($2, password_hash)
                           WHERE id = $3 AND password_hash = $4";
                if tx.execute(sql, args![s.created_at, upgraded_hash, s.user_id, verified]).await? == 0 {
                    return Ok(false);
                }
                let sql =
                    concat!("INSERT INTO sessions (", session_columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7)");
                let params = args![s.id, s.user_id, s.label, s.created_at, s.last_used_at, s.expires_at, s.revoked_at];
                tx.execute(sql, params).await?;
                insert_refresh(tx, &r).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }

    pub async fn session(&self, id: Uuid) -> StoreResult<Option<SessionRecord>> {
        let sql = concat!("SELECT ", session_columns!(), " FROM sessions WHERE id = $1");
        self.query_opt(sql, args![id], session).await
    }

    /// The user's sessions that are neither revoked nor expired at `now`, newest first.
    pub async fn live_sessions(&self, user: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<SessionRecord>> {
        let sql = concat!(
            "SELECT ",
            session_columns!(),
            " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC"
        );
        self.query(sql, args![user, now], session).await
    }

    /// Revokes the user's session `id`, recording `audit` if it did; `false` when the user has no
    /// such live session.
    pub async fn revoke_session(
        &self,
        user: Uuid,
        id: Uuid,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL";
                let changed = tx.execute(sql, args![at, id, user]).await?;
                record_if_changed(tx, changed, &audit).await
            })
        })
        .await
    }

    /// Ends the user's sessions but `keep` (all without one; see [`end_sessions`]), recording
    /// `audit` with the count, atomically; how many sessions it ended.
    pub async fn revoke_sessions(
        &self,
        user: Uuid,
        keep: Option<Uuid>,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<u64> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                let ended = end_sessions(tx, user, keep, at).await?;
                record(tx, &audit.details(serde_json::json!({ "sessions": ended }))).await?;
                Ok(ended)
            })
        })
        .await
    }

    pub async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshRecord>> {
        let sql = concat!("SELECT ", refresh_columns!(), " FROM refresh_tokens WHERE token_hash = $1");
        self.query_opt(sql, args![token_hash], refresh).await
    }

    /// Atomically spends `old_hash` (only if unspent), records its sealed successor, inserts `new`
    /// and extends the session — unless `limit` = (max, since) says the session already spent `max`
    /// tokens since then. A session has one unspent token at a time, so its rotations happen one
    /// after another and the count cannot be raced.
    pub async fn rotate_refresh(
        &self,
        old_hash: &str,
        new: &RefreshRecord,
        sealed: &str,
        limit: Option<(u32, DateTime<Utc>)>,
        at: DateTime<Utc>,
    ) -> StoreResult<Rotation> {
        let (old_hash, new, sealed) = (old_hash.to_owned(), new.clone(), sealed.to_owned());
        self.transaction(move |tx| {
            Box::pin(async move {
                if let Some((max, since)) = limit {
                    let sql =
                        "SELECT count(*), min(spent_at) FROM refresh_tokens WHERE session_id = $1 AND spent_at > $2";
                    let (count, oldest) = tx
                        .query_one(sql, args![new.session_id, since], |row| Ok((row.int(0)?, row.opt_time(1)?)))
                        .await?;
                    if count >= i64::from(max) {
                        return Ok(Rotation::Limited { oldest: oldest.unwrap_or(at) });
                    }
                }
                // On PostgreSQL the row lock this UPDATE takes makes a concurrent rotation of the
                // same token wait, then see spent_at set and change nothing.
                let sql = "UPDATE refresh_tokens SET spent_at = $1, successor_hash = $2, successor_sealed = $3
                           WHERE token_hash = $4 AND spent_at IS NULL";
                if tx.execute(sql, args![at, &new.token_hash, sealed, old_hash]).await? == 0 {
                    return Ok(Rotation::AlreadySpent);
                }
                insert_refresh(tx, &new).await?;
                let sql = "UPDATE sessions SET last_used_at = $1, expires_at = $2 WHERE id = $3";
                tx.execute(sql, args![at, new.expires_at, new.session_id]).await?;
                Ok(Rotation::Rotated)
            })
        })
        .await
    }

    /// Deletes sessions that ended (signed out or expired) before `before`, with their refresh
    /// tokens, refresh tokens that expired before it, sign-ins that waited for a second factor in
    /// vain, and reset or verification codes never used. An expired token is refused as expired before reuse
    /// detection would look at it, so nothing is lost. Idempotent, so instances
    /// pruning at the same time only repeat each other's work.
    pub async fn prune_sessions(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.transaction(move |tx| {
            Box::pin(async move {
                let tokens = tx.execute("DELETE FROM refresh_tokens WHERE expires_at < $1", args![before]).await?;
                let sql = "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1";
                let sessions = tx.execute(sql, args![before]).await?;
                let sql = "DELETE FROM mfa_challenges WHERE expires_at < $1";
                let challenges = tx.execute(sql, args![before]).await?;
                let sql = "DELETE FROM password_resets WHERE expires_at < $1";
                let resets = tx.execute(sql, args![before]).await?;
                let sql = "DELETE FROM email_verifications WHERE expires_at < $1";
                Ok(tokens + sessions + challenges + resets + tx.execute(sql, args![before]).await?)
            })
        })
        .await
    }

    pub async fn touch_session(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.execute("UPDATE sessions SET last_used_at = $1 WHERE id = $2", args![at, id]).await.map(drop)
    }
}
