//! Invitations: pending ones, with the code's hash only; deleted when used, revoked or expired.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::{record, record_if_changed};
use super::sql::{args, Row};
use super::users::insert;
use super::{AuditEvent, Role, Store, StoreResult, UserRecord};

/// A pending invitation (its code is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: Uuid,
    /// Normalised.
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The administrator who made it (none: the command line).
    pub created_by: Option<Uuid>,
}

fn invitation(row: &Row) -> StoreResult<InvitationRecord> {
    Ok(InvitationRecord {
        id: row.uuid(0)?,
        email: row.text(1)?,
        role: Role::parse(&row.text(2)?),
        created_at: row.time(3)?,
        expires_at: row.time(4)?,
        created_by: if row.is_null(5)? { None } else { Some(row.uuid(5)?) },
    })
}

/// How many pending invitations a list shows at most: more would be a mistake to page through.
pub const MAX_LISTED: i64 = 1000;

impl Store {
    pub async fn insert_invitation(
        &self,
        invitation: &InvitationRecord,
        code_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        let (i, code_hash, audit) = (invitation.clone(), code_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "INSERT INTO invitations (id, email, role, code_hash, created_at, expires_at, created_by)
                           VALUES ($1, $2, $3, $4, $5, $6, $7)";
                let role = i.role.as_str();
                tx.execute(sql, args![i.id, &i.email, role, code_hash, i.created_at, i.expires_at, i.created_by])
                    .await?;
                record(tx, &audit).await
            })
        })
        .await
    }

    /// The invitations not yet expired at `now`, newest first.
    pub async fn pending_invitations(&self, now: DateTime<Utc>) -> StoreResult<Vec<InvitationRecord>> {
        let sql = "SELECT id, email, role, created_at, expires_at, created_by FROM invitations
                   WHERE expires_at > $1 ORDER BY created_at DESC, id LIMIT $2";
        self.query(sql, args![now, MAX_LISTED], invitation).await
    }

    /// Revokes an invitation, recording `audit`; `false` when there was none with that id.
    pub async fn delete_invitation(&self, id: Uuid, audit: &AuditEvent) -> StoreResult<bool> {
        let audit = audit.clone();
        self.transaction(move |tx| {
            Box::pin(async move {
                let changed = tx.execute("DELETE FROM invitations WHERE id = $1", args![id]).await?;
                record_if_changed(tx, changed, &audit).await
            })
        })
        .await
    }

    /// In one transaction: spends the live invitation with `code_hash` for `user.email` and creates
    /// the account with the invitation's role, its address verified. `None` when no such invitation
    /// is live (wrong code, another address's, spent, expired); [`super::StoreError::Conflict`],
    /// with the invitation unspent, when the address already has an account.
    pub async fn register_invited(
        &self,
        user: &UserRecord,
        code_hash: &str,
        audit: &AuditEvent,
    ) -> StoreResult<Option<UserRecord>> {
        let (user, code_hash, audit) = (user.clone(), code_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "DELETE FROM invitations WHERE code_hash = $1 AND email = $2 AND expires_at > $3
                           RETURNING role";
                let roles = tx.query(sql, args![code_hash, &user.email, user.created_at], |row| row.text(0)).await?;
                let Some(role) = roles.first() else { return Ok(None) };
                let user = UserRecord {
                    role: Role::parse(role),
                    email_verified_at: Some(user.created_at),
                    verification_pending: false,
                    ..user
                };
                insert(tx, &user).await?;
                record(tx, &audit.details(serde_json::json!({ "invitation": true, "role": user.role.as_str() })))
                    .await?;
                Ok(Some(user))
            })
        })
        .await
    }

    /// Deletes invitations that expired before `before`.
    pub async fn prune_invitations(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.execute("DELETE FROM invitations WHERE expires_at < $1", args![before]).await
    }
}
