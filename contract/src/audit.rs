//! The audit log's event types: written by the server, offered as filters by the desktop's
//! administration screen.

macro_rules! kinds {
    ($($(#[$doc:meta])* $name:ident = $value:literal,)*) => {
        $($(#[$doc])* pub const $name: &str = $value;)*
        /// Every event type, in the order the filter offers them.
        pub const ALL: &[&str] = &[$($value),*];
    };
}

/// The event types. Failures carry `outcome: failure` and, in `details.reason`, why.
pub mod kind {
    kinds! {
        REGISTERED = "registered",
        /// A registration for an address that already has an account (answered as if new; the
        /// owner is told by mail), or refused for its domain or invitation.
        REGISTRATION_REFUSED = "registration_refused",
        VERIFICATION_SENT = "verification_sent",
        EMAIL_VERIFIED = "email_verified",
        /// An account linked to an identity at the single sign-on provider.
        SSO_LINKED = "sso_linked",
        /// A single sign-on that did not end in a session (`details.reason`).
        SSO_REFUSED = "sso_refused",
        /// A sign-in from a client the account had not used: its owner was mailed.
        NEW_SIGN_IN_ALERTED = "new_sign_in_alerted",
        LOGIN_SUCCEEDED = "login_succeeded",
        LOGIN_FAILED = "login_failed",
        LOGIN_LOCKED = "login_locked",
        MFA_REQUIRED = "mfa_required",
        MFA_FAILED = "mfa_failed",
        MFA_SETUP_STARTED = "mfa_setup_started",
        MFA_ENABLED = "mfa_enabled",
        MFA_DISABLED = "mfa_disabled",
        MFA_RECOVERY_CODES_REGENERATED = "mfa_recovery_codes_regenerated",
        REFRESH_REUSE_DETECTED = "refresh_reuse_detected",
        LOGOUT = "logout",
        LOGOUT_ALL = "logout_all",
        /// Every session but the caller's ended (`POST /api/auth/sessions/revoke-others`).
        LOGOUT_OTHERS = "logout_others",
        SESSION_REVOKED = "session_revoked",
        PASSWORD_CHANGED = "password_changed",
        PASSWORD_RESET_REQUESTED = "password_reset_requested",
        PASSWORD_RESET = "password_reset",
        ACCOUNT_DELETED = "account_deleted",
        ADMIN_USER_DISABLED = "admin_user_disabled",
        ADMIN_USER_ENABLED = "admin_user_enabled",
        ADMIN_SESSIONS_REVOKED = "admin_sessions_revoked",
        ADMIN_ROLE_GRANTED = "admin_role_granted",
        ADMIN_ROLE_REVOKED = "admin_role_revoked",
        ADMIN_RESET_CODE_ISSUED = "admin_reset_code_issued",
        ADMIN_SIGNING_KEY_ROTATED = "admin_signing_key_rotated",
        ADMIN_INVITATION_CREATED = "admin_invitation_created",
        ADMIN_INVITATION_REVOKED = "admin_invitation_revoked",
    }
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn every_event_type_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        assert!(kind::ALL.iter().all(|k| seen.insert(*k)));
        assert!(kind::ALL.contains(&kind::LOGOUT_OTHERS));
    }
}
