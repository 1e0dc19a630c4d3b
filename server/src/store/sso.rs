//! Single sign-on: sign-ins on their way through the provider, the one-time codes the app trades
//! for a session, and who each account is at a provider.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::record;
use super::sql::{args, Row};
use super::users::insert;
use super::{AuditEvent, Role, Store, StoreResult, UserRecord};

/// A sign-in waiting for the provider to send the browser back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoFlow {
    /// SHA-256 of the server's `state`.
    pub state_hash: String,
    /// The server's PKCE verifier, sealed.
    pub verifier: String,
    pub nonce: String,
    /// Where the app waits (a loopback URI), the app's own `state` and PKCE challenge.
    pub redirect_uri: String,
    pub app_state: String,
    pub app_challenge: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

fn flow(row: &Row) -> StoreResult<SsoFlow> {
    Ok(SsoFlow {
        state_hash: row.text(0)?,
        verifier: row.text(1)?,
        nonce: row.text(2)?,
        redirect_uri: row.text(3)?,
        app_state: row.text(4)?,
        app_challenge: row.text(5)?,
        created_at: row.time(6)?,
        expires_at: row.time(7)?,
    })
}

/// A one-time code for the app: whose session it opens, and the challenge its verifier must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoGrant {
    pub user_id: Uuid,
    pub subject: String,
    pub app_challenge: String,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    pub async fn insert_sso_flow(&self, f: &SsoFlow) -> StoreResult<()> {
        let sql = "INSERT INTO sso_flows (state_hash, verifier, nonce, redirect_uri, app_state, app_challenge,
                       created_at, expires_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let params = args![
            &f.state_hash,
            &f.verifier,
            &f.nonce,
            &f.redirect_uri,
            &f.app_state,
            &f.app_challenge,
            f.created_at,
            f.expires_at
        ];
        self.execute(sql, params).await.map(drop)
    }

    /// Takes (deletes and returns) the flow of `state_hash`: a `state` works once, on any instance.
    pub async fn take_sso_flow(&self, state_hash: &str) -> StoreResult<Option<SsoFlow>> {
        let sql = "DELETE FROM sso_flows WHERE state_hash = $1
                   RETURNING state_hash, verifier, nonce, redirect_uri, app_state, app_challenge, created_at, expires_at";
        Ok(self.execute_returning(sql, args![state_hash], flow).await?.into_iter().next())
    }

    pub async fn insert_sso_grant(&self, code_hash: &str, g: &SsoGrant) -> StoreResult<()> {
        let sql = "INSERT INTO sso_grants (code_hash, user_id, subject, app_challenge, expires_at) VALUES ($1, $2, $3, $4, $5)";
        self.execute(sql, args![code_hash, g.user_id, &g.subject, &g.app_challenge, g.expires_at]).await.map(drop)
    }

    /// Takes (deletes and returns) the grant of `code_hash`: a code works once, right or wrong.
    pub async fn take_sso_grant(&self, code_hash: &str) -> StoreResult<Option<SsoGrant>> {
        let sql = "DELETE FROM sso_grants WHERE code_hash = $1 RETURNING user_id, subject, app_challenge, expires_at";
        let grants = self
            .execute_returning(sql, args![code_hash], |row| {
                Ok(SsoGrant {
                    user_id: row.uuid(0)?,
                    subject: row.text(1)?,
                    app_challenge: row.text(2)?,
                    expires_at: row.time(3)?,
                })
            })
            .await?;
        Ok(grants.into_iter().next())
    }

    /// The account `subject` is at `issuer`, if linked.
    pub async fn identity(&self, issuer: &str, subject: &str) -> StoreResult<Option<Uuid>> {
        let sql = "SELECT user_id FROM identities WHERE issuer = $1 AND subject = $2";
        self.query_opt(sql, args![issuer, subject], |row| row.uuid(0)).await
    }

    /// Links `subject` at `issuer` to `user` (an existing account), recording `audit` with it.
    pub async fn link_identity(
        &self,
        issuer: &str,
        subject: &str,
        user: &UserRecord,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        let (issuer, subject, user, audit) = (issuer.to_owned(), subject.to_owned(), user.clone(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql =
                    "INSERT INTO identities (issuer, subject, user_id, email, created_at) VALUES ($1, $2, $3, $4, $5)";
                tx.execute(sql, args![issuer, subject, user.id, &user.email, at]).await?;
                record(tx, &audit).await
            })
        })
        .await
    }

    /// In one transaction: creates `user` (verified by the provider) with its identity; with
    /// `invited`, only if a live invitation for its address is there to spend, whose role it gets
    /// (`None` otherwise). [`super::StoreError::Conflict`] when the address or the identity was
    /// taken meanwhile.
    pub async fn register_with_identity(
        &self,
        user: &UserRecord,
        issuer: &str,
        subject: &str,
        invited: bool,
        audit: &AuditEvent,
    ) -> StoreResult<Option<UserRecord>> {
        let (mut user, issuer, subject, audit) = (user.clone(), issuer.to_owned(), subject.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                if invited {
                    let sql = "DELETE FROM invitations WHERE email = $1 AND expires_at > $2 RETURNING role";
                    let roles = tx.query(sql, args![&user.email, user.created_at], |row| row.text(0)).await?;
                    let Some(role) = roles.first() else { return Ok(None) };
                    user.role = Role::parse(role);
                }
                insert(tx, &user).await?;
                let sql =
                    "INSERT INTO identities (issuer, subject, user_id, email, created_at) VALUES ($1, $2, $3, $4, $5)";
                tx.execute(sql, args![issuer, subject, user.id, &user.email, user.created_at]).await?;
                record(tx, &audit).await?;
                Ok(Some(user))
            })
        })
        .await
    }

    /// The issuers `user` is linked at.
    pub async fn identity_issuers(&self, user: Uuid) -> StoreResult<Vec<String>> {
        let sql = "SELECT DISTINCT issuer FROM identities WHERE user_id = $1 ORDER BY issuer";
        self.query(sql, args![user], |row| row.text(0)).await
    }

    /// Deletes sign-ins and codes that expired before `before`.
    pub async fn prune_sso(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let flows = self.execute("DELETE FROM sso_flows WHERE expires_at < $1", args![before]).await?;
        Ok(flows + self.execute("DELETE FROM sso_grants WHERE expires_at < $1", args![before]).await?)
    }
}
