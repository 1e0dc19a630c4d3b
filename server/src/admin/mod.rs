//! Administration: what an administrator (over HTTP) or the person with access to the database
//! (`authdesk-server admin …`) can do to accounts — find them, disable and enable them, end their
//! sessions, make them administrators, issue a password reset code —, invite people, rotate the
//! token signing keys, and the audit log. Every change is audited in its own transaction, naming
//! who did it.

mod invitations;

use authdesk_contract::{normalize_email, validate_email, AdminUser, AuditEntry};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::auth::audit::{kind, Context};
use crate::auth::signing::{self, KeyState, SigningError};
use crate::auth::{reset, AuthError};
use crate::config::{DatabaseUrl, Secret, DEFAULT_DATABASE_TIMEOUT};
use crate::mail::Mailer;
use crate::store::{self, AuditEvent, AuditFilter, Role, SigningKeyRecord, Store, UserRecord};

/// How long a code from an administrator works: as long as a mailed one by default.
pub const RESET_CODE_TTL: std::time::Duration = std::time::Duration::from_secs(30 * 60);
/// The most a page of users or events may hold.
pub const MAX_PAGE: u32 = 200;

/// Who acts: an administrator's account (HTTP), or the operator at the database (the CLI).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub ctx: Context,
}

impl Actor {
    /// `authdesk-server admin …`, run by whoever can reach the database.
    pub fn operator() -> Self {
        Self { id: None, ctx: Context { client: "authdesk-server admin".into(), ..Context::default() } }
    }

    fn event(&self, kind: &str, target: &UserRecord) -> AuditEvent {
        self.action(kind).user(target.id, &target.email)
    }

    /// An event about no account in particular.
    fn action(&self, kind: &str) -> AuditEvent {
        let event = self.ctx.event(kind);
        match self.id {
            Some(id) => event.actor(id),
            None => event,
        }
    }
}

/// An account with what an administrator wants to know besides the row.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: UserRecord,
    pub mfa_enabled: bool,
    pub active_sessions: u32,
}

/// The administration service over a store; cheap to clone.
#[derive(Clone)]
pub struct Admin {
    store: Store,
    /// Where invitations are mailed from; `None`: the code is only shown.
    mailer: Option<Mailer>,
}

impl Admin {
    pub fn new(store: Store) -> Self {
        Self { store, mailer: None }
    }

    /// Mails invitations through `mailer`.
    pub fn with_mailer(self, mailer: Option<Mailer>) -> Self {
        Self { mailer, ..self }
    }

    /// A page of users whose email contains `query`, by email, after the cursor `after`.
    pub async fn users(
        &self,
        query: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<(Vec<UserRecord>, Option<String>), AuthError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let mut users = self.store.list_users(query, after, i64::from(limit) + 1).await?;
        let next = (users.len() > limit as usize).then(|| {
            users.truncate(limit as usize);
            users.last().map(|u| u.email.to_lowercase()).unwrap_or_default()
        });
        Ok((users, next))
    }

    pub async fn user(&self, id: Uuid) -> Result<UserRecord, AuthError> {
        self.store.user_by_id(id).await?.ok_or(AuthError::UserNotFound)
    }

    /// The account with this address (as typed; it is normalised).
    pub async fn user_by_email(&self, email: &str) -> Result<UserRecord, AuthError> {
        let normalized = validate_email(email).unwrap_or_else(|_| normalize_email(email));
        self.store.user_by_email(&normalized).await?.ok_or(AuthError::UserNotFound)
    }

    pub async fn detail(&self, user: UserRecord) -> Result<UserDetail, AuthError> {
        let (mfa_enabled, _) = self.store.mfa_status(user.id).await?;
        let active_sessions =
            self.store.live_sessions(user.id, store::now()).await?.len().try_into().unwrap_or(u32::MAX);
        Ok(UserDetail { user, mfa_enabled, active_sessions })
    }

    /// Disables the account (every session ends at once, its tokens are refused, its password signs
    /// nobody in, a pending reset code is dropped), or enables it again.
    pub async fn set_disabled(&self, target: &UserRecord, disabled: bool, by: &Actor) -> Result<(), AuthError> {
        if disabled && by.id == Some(target.id) {
            return Err(AuthError::SelfAdministration("disable your own account"));
        }
        let kind = if disabled { kind::ADMIN_USER_DISABLED } else { kind::ADMIN_USER_ENABLED };
        found(self.store.set_disabled(target.id, disabled, store::now(), &by.event(kind, target)).await?)
    }

    /// Ends every session of the account; how many.
    pub async fn revoke_sessions(&self, target: &UserRecord, by: &Actor) -> Result<u64, AuthError> {
        let event = by.event(kind::ADMIN_SESSIONS_REVOKED, target);
        Ok(self.store.revoke_sessions(target.id, None, store::now(), &event).await?)
    }

    pub async fn set_role(&self, target: &UserRecord, role: Role, by: &Actor) -> Result<(), AuthError> {
        if by.id == Some(target.id) && role != Role::Admin {
            return Err(AuthError::SelfAdministration("take away your own administrator role"));
        }
        let kind = if role == Role::Admin { kind::ADMIN_ROLE_GRANTED } else { kind::ADMIN_ROLE_REVOKED };
        found(self.store.set_role(target.id, role, &by.event(kind, target)).await?)
    }

    /// A password reset code for the account (replacing any earlier one).
    pub async fn reset_code(&self, target: &UserRecord, by: &Actor) -> Result<String, AuthError> {
        // `issue_code` declines only for a code requested later than now, which cannot exist.
        let code = reset::issue_code(&self.store, target.id, store::now(), RESET_CODE_TTL)
            .await?
            .ok_or_else(|| store::StoreError::Other("a newer reset code is in place".into()))?;
        self.store.record_audit(&by.event(kind::ADMIN_RESET_CODE_ISSUED, target)).await?;
        Ok(code)
    }

    /// The token signing keys in use (next, current, previous), for tokens living `access_ttl`.
    pub async fn signing_keys(
        &self,
        access_ttl: std::time::Duration,
    ) -> Result<Vec<(SigningKeyRecord, KeyState)>, AuthError> {
        Ok(signing::key_states(&self.store.signing_keys().await?, store::now(), access_ttl))
    }

    /// Adds the next signing key, sealed with `secret`, to start signing `promote_after` from now.
    pub async fn rotate_signing_key(
        &self,
        secret: &Secret,
        promote_after: std::time::Duration,
        by: &Actor,
    ) -> Result<SigningKeyRecord, SigningError> {
        signing::rotate(&self.store, secret, promote_after, by.action(kind::ADMIN_SIGNING_KEY_ROTATED)).await
    }

    /// A page of audit events, newest first; the cursor for the next (older) page.
    pub async fn audit(&self, mut filter: AuditFilter) -> Result<(Vec<AuditEvent>, Option<String>), AuthError> {
        let limit = filter.limit.clamp(1, i64::from(MAX_PAGE));
        filter.limit = limit + 1;
        let mut events = self.store.audit_events(&filter).await?;
        let next = (events.len() as i64 > limit).then(|| {
            events.truncate(limit as usize);
            events.last().map(|e| e.id.to_string()).unwrap_or_default()
        });
        Ok((events, next))
    }
}

/// `2026-11-01` (midnight UTC) or an RFC 3339 time.
pub fn parse_since(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
    })
}

/// Opens the database at `url` and issues a password reset code for the account with `email`, as
/// `authdesk-server admin reset-code` does: (the address as stored, the code).
pub async fn reset_code(url: &DatabaseUrl, email: &str) -> Result<(String, String), AuthError> {
    let admin = Admin::new(Store::open(url, DEFAULT_DATABASE_TIMEOUT).await?);
    let target = admin.user_by_email(email).await?;
    let code = admin.reset_code(&target, &Actor::operator()).await?;
    Ok((target.email, code))
}

/// A change that found no row: the user is gone.
fn found(changed: bool) -> Result<(), AuthError> {
    if changed {
        Ok(())
    } else {
        Err(AuthError::UserNotFound)
    }
}

/// An account as administrators see it, over HTTP and from the CLI alike.
pub fn user_view(user: &UserRecord) -> AdminUser {
    AdminUser {
        id: user.id,
        email: user.email.clone(),
        role: user.role.as_str().into(),
        disabled: user.disabled_at.is_some(),
        created_at: user.created_at,
        last_login_at: user.last_login_at,
        email_verified: user.email_verified_at.is_some(),
        mfa_enabled: None,
        active_sessions: None,
    }
}

/// [`user_view`] with the second factor and the live sessions.
pub fn detail_view(d: &UserDetail) -> AdminUser {
    AdminUser { mfa_enabled: Some(d.mfa_enabled), active_sessions: Some(d.active_sessions), ..user_view(&d.user) }
}

/// An audit event as its readers see it; `details` as the JSON object it was written as.
pub fn audit_view(e: AuditEvent) -> AuditEntry {
    AuditEntry {
        id: e.id,
        at: e.at,
        kind: e.kind,
        outcome: e.outcome,
        user_id: e.user_id,
        email: e.email,
        client_ip: e.client_ip,
        client: e.client,
        session_id: e.session_id,
        request_id: e.request_id,
        actor_id: e.actor_id,
        details: e.details.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_else(|| serde_json::json!({})),
    }
}
