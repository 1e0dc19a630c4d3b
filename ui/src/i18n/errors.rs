//! Every error in the user's language, worded from what it is (the server's `code`, the shell's
//! kind of failure, the password or email rule it broke), never from the English sentence; a code
//! this build does not know shows the server's own `detail`.

use authdesk_contract::desktop::{CommandError, ErrorKind};
use authdesk_contract::{EmailError, ErrorCode, PasswordRule};

use crate::t;

/// The sentence the error banner shows.
pub fn error_text(error: &CommandError) -> String {
    if error.kind == ErrorKind::Unreachable {
        return match &error.server {
            Some(server) => t!("error-unreachable", server = server.clone()),
            None => t!("error-connection-lost"),
        };
    }
    match error.code {
        Some(code) => code_text(code, &error.message).unwrap_or_else(|| error.message.clone()),
        None => error.message.clone(),
    }
}

/// A password rule, as the checklist and its errors say it.
pub fn password_rule_text(rule: PasswordRule) -> String {
    match rule {
        PasswordRule::MinLength => t!("password-rule-min-length"),
        PasswordRule::MaxLength => t!("password-rule-max-length"),
        PasswordRule::Uppercase => t!("password-rule-uppercase"),
        PasswordRule::Lowercase => t!("password-rule-lowercase"),
        PasswordRule::Digit => t!("password-rule-digit"),
        PasswordRule::Special => t!("password-rule-special"),
    }
}

/// What is wrong with an email address.
pub fn email_error_text(error: EmailError) -> String {
    match error {
        EmailError::Empty => t!("email-error-empty"),
        EmailError::TooLong => t!("email-error-too-long"),
        EmailError::InvalidFormat => t!("email-error-invalid-format"),
        EmailError::Lookalike => t!("email-error-lookalike"),
    }
}

/// A broken password rule, as an error says it.
pub fn password_error_text(rule: PasswordRule) -> String {
    match rule {
        PasswordRule::MinLength => t!("password-error-min-length"),
        PasswordRule::MaxLength => t!("password-error-max-length"),
        PasswordRule::Uppercase => t!("password-error-uppercase"),
        PasswordRule::Lowercase => t!("password-error-lowercase"),
        PasswordRule::Digit => t!("password-error-digit"),
        PasswordRule::Special => t!("password-error-special"),
    }
}

/// A password refused by the server: the rule its `detail` names, in the user's language.
fn weak_password_text(detail: &str) -> String {
    match PasswordRule::ALL.into_iter().find(|rule| rule.message() == detail) {
        Some(rule) => password_error_text(rule),
        None => t!("error-weak-password"),
    }
}

fn code_text(code: ErrorCode, detail: &str) -> Option<String> {
    use ErrorCode as C;
    Some(match code {
        C::Validation => t!("error-validation"),
        C::InvalidEmail => match EmailError::ALL.into_iter().find(|e| e.message() == detail) {
            Some(e) => email_error_text(e),
            None => t!("email-error-invalid-format"),
        },
        C::WeakPassword => weak_password_text(detail),
        C::BreachedPassword => t!("error-breached-password"),
        C::EmailTaken => t!("error-email-taken"),
        C::InvalidCredentials => t!("error-invalid-credentials"),
        C::WrongPassword => t!("error-wrong-password"),
        C::NotAuthenticated => t!("error-not-authenticated"),
        C::TokenExpired | C::InvalidToken | C::SessionExpired | C::InvalidRefreshToken => t!("error-session-expired"),
        C::SessionRevoked => t!("error-session-revoked"),
        C::RefreshTokenReused => t!("error-refresh-token-reused"),
        C::MfaRequired => t!("error-mfa-required"),
        C::InvalidCode => t!("error-invalid-code"),
        C::CodeRequired => t!("error-code-required"),
        C::MfaExpired => t!("error-mfa-expired"),
        C::MfaAlreadyEnabled => t!("error-mfa-already-enabled"),
        C::MfaNotEnabled => t!("error-mfa-not-enabled"),
        C::MfaNotSetUp => t!("error-mfa-not-set-up"),
        C::InvalidResetCode => t!("error-invalid-reset-code"),
        C::AccountDisabled => t!("error-account-disabled"),
        C::EmailNotVerified => t!("error-email-not-verified"),
        C::InvitationRequired => t!("error-invitation-required"),
        C::InvalidInvitation => t!("error-invalid-invitation"),
        C::DomainNotAllowed => t!("error-domain-not-allowed"),
        C::InvalidRedirectUri | C::InvalidState | C::InvalidGrant => t!("error-sso-failed"),
        C::AdminRequired => t!("error-admin-required"),
        C::NotAllowed => t!("error-not-allowed"),
        C::NotFound => t!("error-not-found"),
        C::Conflict => t!("error-conflict"),
        C::VersionConflict => t!("error-version-conflict"),
        C::CursorExpired | C::InvalidCursor => t!("error-sync-restart"),
        C::RateLimited => t!("error-rate-limited"),
        C::LockedOut => t!("error-locked-out"),
        C::PayloadTooLarge => t!("error-payload-too-large"),
        C::UnsupportedMediaType | C::MethodNotAllowed => t!("error-server-mismatch"),
        C::Busy | C::TimedOut => t!("error-busy"),
        C::Unavailable => t!("error-unavailable"),
        C::Internal => t!("error-internal"),
        C::Unknown => return None,
    })
}
