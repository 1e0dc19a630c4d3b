//! What every error answer says to a program: a stable `code` beside the `detail` a person reads.
//! The original design's clients read `detail`, so its sentences stay exactly as they were; a
//! program decides on `code`, which never changes when a sentence is reworded or translated.

use serde::{Deserialize, Serialize};

/// The `code` of an error body. New codes may be added; a reader that meets one it does not know
/// gets [`ErrorCode::Unknown`] (also what an answer without a code, from an older server, reads as).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A malformed request: a field missing or of the wrong type, a bad query or header (400/422).
    Validation,
    /// The email address is refused (400).
    InvalidEmail,
    /// The new password breaks a rule of the password policy (400).
    WeakPassword,
    /// The new password appears in a known data breach (400).
    BreachedPassword,
    /// An account already has this email address (409).
    EmailTaken,
    /// Unknown email or wrong password: deliberately one answer (401).
    InvalidCredentials,
    /// The password re-entered to confirm an action is wrong; the session is fine (401).
    WrongPassword,
    /// No `Authorization: Bearer` header, or not one (401).
    NotAuthenticated,
    /// The access token has expired: refresh it (401).
    TokenExpired,
    /// The access token is not one this server issued, or is malformed (401).
    InvalidToken,
    /// The session was signed out (here, elsewhere, or by an administrator) (401).
    SessionRevoked,
    /// The session's refresh token has expired, or the session reached its maximum age (401).
    SessionExpired,
    /// The refresh token is not known to the server (401).
    InvalidRefreshToken,
    /// A spent refresh token came back: the session was ended for safety (401).
    RefreshTokenReused,
    /// The password was right and the account asks for its second factor (401, with the challenge).
    MfaRequired,
    /// A wrong second-factor or recovery code (400, or 401 at the sign-in's second step).
    InvalidCode,
    /// The action needs a current code from the authenticator app or an unused recovery code,
    /// and none was sent (400).
    CodeRequired,
    /// The sign-in waiting for its second factor expired or was spent: sign in again (401).
    MfaExpired,
    /// Two-factor authentication is already on (409).
    MfaAlreadyEnabled,
    /// Two-factor authentication is off (400).
    MfaNotEnabled,
    /// Two-factor authentication was not set up before being turned on (400).
    MfaNotSetUp,
    /// A password reset code that is wrong, spent or expired (400).
    InvalidResetCode,
    /// The account is disabled by an administrator (403).
    AccountDisabled,
    /// The right password for an account whose address is not verified yet, on a server that asks
    /// for verified addresses: enter the mailed code, or ask for a new one (403).
    EmailNotVerified,
    /// The server registers only with an administrator's invitation (403).
    InvitationRequired,
    /// An invitation code that is wrong, spent, expired or for another address (400).
    InvalidInvitation,
    /// The server registers only addresses of certain domains (403).
    DomainNotAllowed,
    /// A single sign-on start whose redirect URI is not a loopback one, or without an S256 PKCE
    /// challenge (400).
    InvalidRedirectUri,
    /// A single sign-on callback whose `state` is unknown, spent or expired (400).
    InvalidState,
    /// A single sign-on code that is wrong, spent, expired, or not for this verifier (400).
    InvalidGrant,
    /// The action is an administrator's (403).
    AdminRequired,
    /// An administrator's action on their own account that would lock them out (400).
    NotAllowed,
    /// No such resource, or not yours (404).
    NotFound,
    /// The resource already exists (409).
    Conflict,
    /// A conditional update named a version that is no longer current (412, with the resource).
    VersionConflict,
    /// A sync cursor older than the server keeps deleted tasks for: reload everything (410).
    CursorExpired,
    /// A sync cursor this server did not issue (400).
    InvalidCursor,
    /// A limit's window is full; `Retry-After` says when to try again (429).
    RateLimited,
    /// Too many failed checks for this account: its checks pause; `Retry-After` says how long (429).
    LockedOut,
    /// The request body is over the limit (413).
    PayloadTooLarge,
    /// The request body is not JSON (415).
    UnsupportedMediaType,
    /// The route does not take this method (405).
    MethodNotAllowed,
    /// The server is saturated; `Retry-After` says when to try again (503).
    Busy,
    /// The database is unavailable (503).
    Unavailable,
    /// The request took longer than the server allows (503).
    TimedOut,
    /// A fault on the server's side (500).
    Internal,
    /// A code this reader does not know, or none (an older server).
    #[default]
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code a server sends (not [`ErrorCode::Unknown`]).
    pub const ALL: [ErrorCode; 45] = [
        ErrorCode::Validation,
        ErrorCode::InvalidEmail,
        ErrorCode::WeakPassword,
        ErrorCode::BreachedPassword,
        ErrorCode::EmailTaken,
        ErrorCode::InvalidCredentials,
        ErrorCode::WrongPassword,
        ErrorCode::NotAuthenticated,
        ErrorCode::TokenExpired,
        ErrorCode::InvalidToken,
        ErrorCode::SessionRevoked,
        ErrorCode::SessionExpired,
        ErrorCode::InvalidRefreshToken,
        ErrorCode::RefreshTokenReused,
        ErrorCode::MfaRequired,
        ErrorCode::InvalidCode,
        ErrorCode::MfaExpired,
        ErrorCode::MfaAlreadyEnabled,
        ErrorCode::MfaNotEnabled,
        ErrorCode::MfaNotSetUp,
        ErrorCode::InvalidResetCode,
        ErrorCode::AccountDisabled,
        ErrorCode::EmailNotVerified,
        ErrorCode::InvitationRequired,
        ErrorCode::InvalidInvitation,
        ErrorCode::DomainNotAllowed,
        ErrorCode::InvalidRedirectUri,
        ErrorCode::InvalidState,
        ErrorCode::InvalidGrant,
        ErrorCode::AdminRequired,
        ErrorCode::NotAllowed,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::VersionConflict,
        ErrorCode::CursorExpired,
        ErrorCode::InvalidCursor,
        ErrorCode::RateLimited,
        ErrorCode::LockedOut,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Busy,
        ErrorCode::Unavailable,
        ErrorCode::TimedOut,
        ErrorCode::Internal,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_names_that_read_back() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            let name = json.as_str().unwrap().to_owned();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
            assert!(seen.insert(name.clone()), "{name} twice");
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), code);
        }
        assert_eq!(serde_json::to_value(ErrorCode::InvalidCredentials).unwrap(), "invalid_credentials");
    }

    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        assert_eq!(serde_json::from_str::<ErrorCode>(r#""teleported""#).unwrap(), ErrorCode::Unknown);
    }
}
