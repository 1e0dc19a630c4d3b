//! What the auth flows record in the audit log, and where a request came from.

use crate::store::{self, AuditEvent};

/// Where a request came from: the HTTP layer fills it in for every flow.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The client's address (see `http::extract::client_ip`).
    pub client_ip: Option<String>,
    /// The client's name (`X-Client-Name`) or user agent: a new session's label.
    pub client: String,
    pub request_id: Option<String>,
}

impl Context {
    /// A successful event of `kind`, now, from this request.
    pub fn event(&self, kind: &str) -> AuditEvent {
        AuditEvent {
            at: store::now(),
            kind: kind.to_owned(),
            outcome: "success".into(),
            client_ip: self.client_ip.clone(),
            client: Some(self.client.clone()).filter(|c| !c.is_empty()),
            request_id: self.request_id.clone(),
            ..AuditEvent::default()
        }
    }
}

/// The event types. Failures carry `outcome: failure` and, in `details.reason`, why.
pub mod kind {
    pub const REGISTERED: &str = "registered";
    pub const LOGIN_SUCCEEDED: &str = "login_succeeded";
    pub const LOGIN_FAILED: &str = "login_failed";
    pub const LOGIN_LOCKED: &str = "login_locked";
    pub const MFA_REQUIRED: &str = "mfa_required";
    pub const MFA_FAILED: &str = "mfa_failed";
    pub const MFA_SETUP_STARTED: &str = "mfa_setup_started";
    pub const MFA_ENABLED: &str = "mfa_enabled";
    pub const MFA_DISABLED: &str = "mfa_disabled";
    pub const MFA_RECOVERY_CODES_REGENERATED: &str = "mfa_recovery_codes_regenerated";
    pub const REFRESH_REUSE_DETECTED: &str = "refresh_reuse_detected";
    pub const LOGOUT: &str = "logout";
    pub const LOGOUT_ALL: &str = "logout_all";
    /// Every session but the caller's ended (`POST /api/auth/sessions/revoke-others`).
    pub const LOGOUT_OTHERS: &str = "logout_others";
    pub const SESSION_REVOKED: &str = "session_revoked";
    pub const PASSWORD_CHANGED: &str = "password_changed";
    pub const PASSWORD_RESET_REQUESTED: &str = "password_reset_requested";
    pub const PASSWORD_RESET: &str = "password_reset";
    pub const ACCOUNT_DELETED: &str = "account_deleted";
    pub const ADMIN_USER_DISABLED: &str = "admin_user_disabled";
    pub const ADMIN_USER_ENABLED: &str = "admin_user_enabled";
    pub const ADMIN_SESSIONS_REVOKED: &str = "admin_sessions_revoked";
    pub const ADMIN_ROLE_GRANTED: &str = "admin_role_granted";
    pub const ADMIN_ROLE_REVOKED: &str = "admin_role_revoked";
    pub const ADMIN_RESET_CODE_ISSUED: &str = "admin_reset_code_issued";
    pub const ADMIN_SIGNING_KEY_ROTATED: &str = "admin_signing_key_rotated";
}
