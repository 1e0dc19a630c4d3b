//! Accounts: the `users` table (kept as the original design created it, plus
//! `tokens_not_before`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::{record, record_if_changed};
use super::sessions::end_sessions;
use super::sql::{args, Conn, Row};
use super::{AuditEvent, Role, Store, StoreResult, UserRecord};

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
            "tokens_not_before, ",
            $prefix,
            "role, ",
            $prefix,
            "disabled_at, ",
            $prefix,
            "email_verified_at, ",
            $prefix,
            "verification_pending"
        )
    };
}

pub(super) use user_columns;

/// How many columns [`user_columns`] names: what a query selects after them starts here.
pub(super) const USER_COLUMNS: usize = 10;

/// A user from the first [`USER_COLUMNS`] columns of `row`. A `users` table the original design created may
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
        role: row.opt_text(6)?.map_or(Role::User, |r| Role::parse(&r)),
        disabled_at: row.opt_time(7)?,
        email_verified_at: row.opt_time(8)?,
        verification_pending: row.bool(9)?,
    })
}

impl Store {
    /// Inserts a user, recording `audit` with it; [`super::StoreError::Conflict`] when the
    /// normalised email is taken.
    pub async fn insert_user(&self, u: &UserRecord, audit: Option<&AuditEvent>) -> StoreResult<()> {
        let (u, audit) = (u.clone(), audit.cloned());
        self.transaction(move |tx| {
            Box::pin(async move {
                insert(tx, &u).await?;
                match &audit {
                    Some(audit) => record(tx, audit).await,
                    None => Ok(()),
                }
            })
        })
        .await
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
        self.query_opt(sql, args![id, session], |row| Ok((user(row)?, row.bool(USER_COLUMNS)?))).await
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
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        let (new_hash, audit) = (new_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                set_password(tx, id, &new_hash, keep, at).await?;
                record(tx, &audit).await
            })
        })
        .await
    }

    /// Removes the user with their tasks, sessions, refresh tokens and attempt counters, in one
    /// transaction; `false` when there was no such user.
    pub async fn delete_user(&self, id: Uuid, email: &str, audit: &AuditEvent) -> StoreResult<bool> {
        let (email, audit) = (email.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "DELETE FROM auth_attempts WHERE key = $1 OR key = $2";
                tx.execute(sql, args![email, id.to_string()]).await?;
                // Tasks, sessions and refresh tokens go with the user (ON DELETE CASCADE).
                let changed = tx.execute("DELETE FROM users WHERE id = $1", args![id]).await?;
                record_if_changed(tx, changed, &audit).await
            })
        })
        .await
    }
}

impl Store {
    /// Disables the account (ending every session and refusing its older tokens) or enables it,
    /// recording `audit`; `false` when there is no such user.
    pub async fn set_disabled(
        &self,
        id: Uuid,
        disabled: bool,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "UPDATE users SET disabled_at = $1 WHERE id = $2";
                if tx.execute(sql, args![disabled.then_some(at), id]).await? == 0 {
                    return Ok(false);
                }
                if disabled {
                    end_sessions(tx, id, None, at).await?;
                    tx.execute("DELETE FROM password_resets WHERE user_id = $1", args![id]).await?;
                }
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }

    /// Sets the account's role, recording `audit`; `false` when there is no such user.
    pub async fn set_role(&self, id: Uuid, role: Role, audit: &AuditEvent) -> StoreResult<bool> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                let changed = tx.execute("UPDATE users SET role = $1 WHERE id = $2", args![role.as_str(), id]).await?;
                record_if_changed(tx, changed, &audit).await
            })
        })
        .await
    }

    /// Users whose email contains `query` (any case), by email, after the email `after` (a
    /// cursor), at most `limit`.
    pub async fn list_users(
        &self,
        query: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<UserRecord>> {
        let pattern = query.map(|q| {
            let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        });
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users WHERE (lower(email) LIKE $1 ESCAPE '\\' OR $1 IS NULL) AND (lower(email) > $2 OR $2 IS NULL)
              ORDER BY lower(email) LIMIT $3"
        );
        self.query(sql, args![pattern, after.map(str::to_owned), limit], user).await
    }
}

/// Sets the hash and ends every session but `keep` ([`end_sessions`]: a sign-in that passed the
/// old password and waits for its second factor ends too), inside the caller's transaction (a
/// change or a reset).
pub(super) async fn set_password(
    tx: &mut Conn<'_>,
    id: Uuid,
    new_hash: &str,
    keep: Option<Uuid>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    tx.execute("UPDATE users SET password_hash = $1 WHERE id = $2", args![new_hash, id]).await?;
    end_sessions(tx, id, keep, at).await.map(drop)
}

/// Counts the address as proven, inside the caller's transaction (a verification, a reset, an
/// invitation): the first proof's time is kept, and the account is no longer pending.
pub(super) async fn mark_verified(tx: &mut Conn<'_>, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    let sql = "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), verification_pending = FALSE
               WHERE id = $1";
    tx.execute(sql, args![id, at]).await.map(drop)
}

/// Inserts a user inside the caller's transaction.
pub(super) async fn insert(tx: &mut Conn<'_>, u: &UserRecord) -> StoreResult<()> {
    let sql = "INSERT INTO users (id, email, password_hash, created_at, last_login_at, role, email_verified_at,
                   verification_pending)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let (role, verified, pending) = (u.role.as_str(), u.email_verified_at, u.verification_pending);
    tx.execute(sql, args![u.id, &u.email, &u.password_hash, u.created_at, u.last_login_at, role, verified, pending])
        .await
        .map(drop)
}
