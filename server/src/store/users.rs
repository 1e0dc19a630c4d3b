//! Accounts: the `users` table (kept as the original design created it, plus
//! `tokens_not_before`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sql::{args, Conn, Row};
use super::{Store, StoreResult, UserRecord};

/// The columns of [`user`], optionally qualified (`user_columns!("u.")`).
macro_rules! user_columns {
    ($prefix:literal) => {
        concat!(
            $prefix,
            "id, ",
            $prefix,
            "email, ",
            $prefix,
            "password_hash, ",
            $prefix,
            "created_at, ",
            $prefix,
            "last_login_at, ",
            $prefix,
            "tokens_not_before"
        )
    };
}

pub(super) use user_columns;

/// A user from the first six columns of `row`. A `users` table the original design created may
/// allow NULL where ours does not (SQLAlchemy columns are nullable unless declared otherwise): such a
/// row still reads — a missing hash matches no password, a missing creation time reads as the last
/// sign-in or, failing that, the Unix epoch — rather than failing every request that touches it.
pub(super) fn user(row: &Row) -> StoreResult<UserRecord> {
    let last_login_at = row.opt_time(4)?;
    Ok(UserRecord {
        id: row.uuid(0)?,
        email: row.opt_text(1)?.unwrap_or_default(),
        password_hash: row.opt_text(2)?.unwrap_or_default(),
        created_at: row.opt_time(3)?.or(last_login_at).unwrap_or(DateTime::UNIX_EPOCH),
        last_login_at,
        tokens_not_before: row.opt_time(5)?,
    })
}

impl Store {
    /// Inserts a user; [`super::StoreError::Conflict`] when the normalised email is taken.
    pub async fn insert_user(&self, u: &UserRecord) -> StoreResult<()> {
        self.execute(
            "INSERT INTO users (id, email, password_hash, created_at, last_login_at) VALUES ($1, $2, $3, $4, $5)",
            args![u.id, &u.email, &u.password_hash, u.created_at, u.last_login_at],
        )
        .await
        .map(drop)
    }

    /// Looks a user up by normalised email (rows written in mixed case by older clients match).
    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let sql = concat!("SELECT ", user_columns!(""), " FROM users WHERE lower(email) = $1");
        self.query_opt(sql, args![email], user).await
    }

    pub async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<UserRecord>> {
        let sql = concat!("SELECT ", user_columns!(""), " FROM users WHERE id = $1");
        self.query_opt(sql, args![id], user).await
    }

    /// The user, and whether `session` (when given) is theirs and not revoked: what every
    /// authenticated request checks, in one round trip.
    pub async fn user_and_session(&self, id: Uuid, session: Option<Uuid>) -> StoreResult<Option<(UserRecord, bool)>> {
        let sql = concat!(
            "SELECT ",
            user_columns!("u."),
            ", s.id IS NOT NULL AND s.revoked_at IS NULL
             FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
             WHERE u.id = $1"
        );
        self.query_opt(sql, args![id, session], |row| Ok((user(row)?, row.bool(6)?))).await
    }

    /// Replaces the hash only if it is still `old` (an upgrade on login must not undo a password
    /// change that raced it); `false` when it was not.
    pub async fn upgrade_password_hash(&self, id: Uuid, old: &str, new: &str) -> StoreResult<bool> {
        let sql = "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3";
        Ok(self.execute(sql, args![new, id, old]).await? > 0)
    }

    /// In one transaction: sets the new hash, refuses older session-less tokens, and revokes every
    /// session but `keep`.
    pub async fn change_password(
        &self,
        id: Uuid,
        new_hash: &str,
        keep: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let new_hash = new_hash.to_owned();
        self.transaction(move |tx| Box::pin(async move { set_password(tx, id, &new_hash, keep, at).await })).await
    }

    /// Removes the user with their tasks, sessions, refresh tokens and attempt counters, in one
    /// transaction; `false` when there was no such user.
    pub async fn delete_user(&self, id: Uuid, email: &str) -> StoreResult<bool> {
        let email = email.to_owned();
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "DELETE FROM auth_attempts WHERE key = $1 OR key = $2";
                tx.execute(sql, args![email, id.to_string()]).await?;
                // Tasks, sessions and refresh tokens go with the user (ON DELETE CASCADE).
                Ok(tx.execute("DELETE FROM users WHERE id = $1", args![id]).await? > 0)
            })
        })
        .await
    }
}

/// Sets the hash, refuses older session-less tokens, and revokes every session but `keep`: inside
/// the caller's transaction (a change or a reset).
pub(super) async fn set_password(
    tx: &mut Conn<'_>,
    id: Uuid,
    new_hash: &str,
    keep: Option<Uuid>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "UPDATE users SET password_hash = $1, tokens_not_before = $2 WHERE id = $3";
    tx.execute(sql, args![new_hash, at, id]).await?;
    // A sign-in that passed the old password and waits for its second factor ends too.
    tx.execute("DELETE FROM mfa_challenges WHERE user_id = $1", args![id]).await?;
    let sql = "UPDATE sessions SET revoked_at = $1
               WHERE user_id = $2 AND revoked_at IS NULL AND id IS DISTINCT FROM $3";
    tx.execute(sql, args![at, id, keep]).await.map(drop)
}
