//! Single sign-on through the team's OpenID provider (RFC 8252 for the desktop app: the system
//! browser, a loopback redirect, PKCE). A server without it answers `{"enabled": false}`.

use serde::{Deserialize, Serialize};

/// `GET /api/auth/sso`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoInfo {
    pub enabled: bool,
    /// The sign-in button's label ("Acme SSO").
    pub name: Option<String>,
}

/// `POST /api/auth/sso/token`: the one-time code the server sent to the app's redirect URI, and
/// the PKCE verifier of the challenge the app started with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoTokenRequest {
    pub code: String,
    pub code_verifier: String,
}

/// The `error` the server sends the app's redirect URI when a sign-in at the provider did not end
/// in a session (with `error_description`, a sentence, and the app's `state`).
pub mod sso_error {
    /// The user cancelled at the provider.
    pub const ACCESS_DENIED: &str = "access_denied";
    /// The provider does not vouch for the address, and an account already has it.
    pub const EMAIL_NOT_VERIFIED: &str = "email_not_verified";
    /// The server's join rules refuse this address (allowed domains, invitations).
    pub const REGISTRATION_CLOSED: &str = "registration_closed";
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
    pub const SERVER_ERROR: &str = "server_error";
}
