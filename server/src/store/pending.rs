//! Accounts waiting for their address to be verified (`verification_pending`): created with their
//! first code, taken over by a later registration for the address, deleted when old.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::record;
use super::codes::{issue, CodeKind};
use super::sql::args;
use super::users::insert;
use super::{AuditEvent, Store, StoreResult, UserRecord};

impl Store {
    /// In one transaction: creates `user` (pending) with its verification code.
    /// [`super::StoreError::Conflict`] when the address was taken meanwhile.
    pub async fn register_pending(
        &self,
        user: &UserRecord,
        code_hash: &str,
        expires_at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        let (user, code_hash, audit) = (user.clone(), code_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                insert(tx, &user).await?;
                let kind = CodeKind::EmailVerification;
                issue(tx, kind, user.id, &code_hash, user.created_at, expires_at).await?;
                record(tx, &audit).await
            })
        })
        .await
    }

    /// In one transaction: gives the still-pending account `id` a new password hash and a new code
    /// (spending the old one). `false`, changing nothing, when it is no longer pending (or has
    /// signed in: on a server switched back to `open`, it may hold data).
    pub async fn take_over_pending(
        &self,
        id: Uuid,
        password_hash: &str,
        code_hash: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (password_hash, code_hash, audit) = (password_hash.to_owned(), code_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "UPDATE users SET password_hash = $2
                           WHERE id = $1 AND verification_pending AND email_verified_at IS NULL
                               AND last_login_at IS NULL";
                if tx.execute(sql, args![id, password_hash]).await? == 0 {
                    return Ok(false);
                }
                issue(tx, CodeKind::EmailVerification, id, &code_hash, at, expires_at).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }

    /// Deletes accounts registered before `before` that are still pending and never signed in.
    pub async fn prune_pending(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let sql = "DELETE FROM users WHERE verification_pending AND email_verified_at IS NULL
                   AND last_login_at IS NULL AND created_at < $1";
        self.execute(sql, args![before]).await
    }
}
