//! Request and response bodies, field for field as the original design has them.
//! New fields are only ever added (and optional for readers), never renamed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ErrorCode;

pub const REGISTERED_MESSAGE: &str = "User registered successfully";
pub const TOKEN_TYPE: &str = "bearer";
/// A client may name itself in this header (the desktop app does); the server lists a new session
/// under that name, else under the User-Agent.
pub const CLIENT_NAME_HEADER: &str = "x-client-name";

/// Every error the server returns: `{"detail": "<a sentence a person understands>", "code":
/// "<what a program acts on>"}`. `detail` is the original design's; `code` is additive (an older
/// server's answer without one reads as [`ErrorCode::Unknown`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub detail: String,
    #[serde(default)]
    pub code: ErrorCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    /// An administrator's invitation for this address (additive; required in `invite` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterResponse {
    pub user_id: Uuid,
    pub email: String,
    pub message: String,
    /// `true` in `verified` mode: sign in by entering the mailed code (additive: absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_required: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/auth/login` and `POST /api/auth/refresh`. The last three fields are additions to the
/// original design (absent from its servers' answers, hence optional for readers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub access_token: String,
    pub token_type: String,
    pub user_id: Uuid,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds until `access_token` expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<Uuid>,
    /// The signed-in user as `GET /api/auth/me` describes it, so a sign-in takes one request
    /// (additive: sent by sign-in and the second factor's verify, not by a refresh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<MeResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// `POST /api/auth/logout` without an Authorization header: ends the session this refresh token
/// (current or already rotated) belongs to. For a client whose access token has expired or is
/// unknown after a relaunch. With an Authorization header the bearer's session ends, whatever the
/// token here says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoutRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `GET /api/auth/sessions`: one signed-in device or client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: Uuid,
    /// The client's name or `User-Agent`.
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The session of the token that asked.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `DELETE /api/auth/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteAccountRequest {
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageResponse {
    pub message: String,
}

/// `POST /api/auth/logout-all` and `DELETE /api/admin/users/{id}/sessions`: the sentence the
/// original design's clients read, and (additive) how many sessions ended — absent from servers
/// older than the field, so a client words the count only when it is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsEnded {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<u64>,
}

/// `POST /api/auth/sessions/revoke-others`: how many of the account's other sessions it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokedSessions {
    pub revoked: u64,
}

/// `GET /api/auth/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub user_id: Uuid,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Whether sign-in asks for a second factor (additive: absent from older servers).
    #[serde(default)]
    pub mfa_enabled: bool,
    /// Unused recovery codes (0 without a second factor).
    #[serde(default)]
    pub recovery_codes_left: u32,
    /// `user` or `admin` (additive: older servers have no roles, so everyone is a `user`).
    #[serde(default = "user_role")]
    pub role: String,
    /// Whether the address was proven: by a mailed code, a reset code, or an invitation (additive).
    #[serde(default)]
    pub email_verified: bool,
    /// The single sign-on providers (their issuers) the account is linked at (additive).
    #[serde(default)]
    pub linked_providers: Vec<String>,
}

fn user_role() -> String {
    "user".into()
}

/// The second factor's methods, as `POST /api/auth/mfa/verify` takes them.
pub const MFA_METHODS: [&str; 2] = ["totp", "recovery_code"];

/// `POST /api/auth/login` for an account with a second factor and the right password: a 401 (so a
/// client of the original design shows `detail`) that names what to send to
/// `POST /api/auth/mfa/verify`, and no token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaRequiredBody {
    pub detail: String,
    /// Always [`ErrorCode::MfaRequired`].
    #[serde(default)]
    pub code: ErrorCode,
    pub mfa_required: bool,
    pub mfa_token: String,
    pub methods: Vec<String>,
}

/// `POST /api/auth/mfa/verify`: the challenge's token and one of a current code or a recovery code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaVerifyRequest {
    pub mfa_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
}

/// A password re-entered to confirm a change to the second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordConfirmation {
    pub password: String,
}

/// `POST /api/auth/mfa/totp/setup`: the secret to enter in an authenticator app, as text and as
/// the URL a QR code carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetupResponse {
    pub secret: String,
    pub otpauth_url: String,
}

/// `POST /api/auth/mfa/totp/enable`: the first code from the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnableRequest {
    pub code: String,
}

/// Fresh recovery codes, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesResponse {
    pub recovery_codes: Vec<String>,
}

/// `POST /api/auth/mfa/recovery-codes`: the password and a current code or an unused recovery code
/// (which it spends). Without a code the answer is 400 `code_required` and the old codes keep
/// working: the password alone must not be enough to take the factor off in two requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesRequest {
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// `POST /api/auth/mfa/disable`: the password and a current code or a recovery code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaDisableRequest {
    pub password: String,
    pub code: String,
}

/// `POST /api/auth/password-reset/request`: always answered 202 with [`PASSWORD_RESET_REQUESTED`],
/// whether or not an account has the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub email: String,
}

/// The one answer to a reset request.
pub const PASSWORD_RESET_REQUESTED: &str = "If an account exists for that address, a reset code has been sent.";

/// `POST /api/auth/password-reset/confirm`: the mailed (or administrator's) code and the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    pub email: String,
    pub code: String,
    pub new_password: String,
}

/// An account as administrators see it (`GET /api/admin/users`, `…/users/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    pub id: Uuid,
    pub email: String,
    /// `user` or `admin`.
    pub role: String,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Whether the address was proven (additive).
    #[serde(default)]
    pub email_verified: bool,
    /// Only in the one-user answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_enabled: Option<bool>,
    /// Live sessions; only in the one-user answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_sessions: Option<u32>,
}

/// `GET /api/admin/users`: a page by email; `next_cursor` asks for the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUserPage {
    pub users: Vec<AdminUser>,
    pub next_cursor: Option<String>,
}

/// One audit log entry (`GET /api/admin/audit`). `details` is a JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    #[serde(rename = "type")]
    pub kind: String,
    /// `success` or `failure`.
    pub outcome: String,
    pub user_id: Option<Uuid>,
    pub email: Option<String>,
    pub client_ip: Option<String>,
    pub client: Option<String>,
    pub session_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub actor_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

/// `GET /api/admin/audit`: newest first; `next_cursor` asks for older ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub events: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

/// `GET /api/health` and `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    /// "healthy", or "unhealthy" (with HTTP 503) when the database does not answer.
    pub status: String,
    /// "sqlite" or "postgres".
    pub database: String,
    pub version: String,
    /// Present only when unhealthy, so clients reading errors generically still find a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `GET /.well-known/jwks.json`: the public keys access tokens are signed with, as a JWK Set
/// (RFC 7517), for other services to verify them without a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwks {
    /// Empty while the server signs with HS256 only.
    pub keys: Vec<Jwk>,
}

/// One Ed25519 public key (RFC 8037).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwk {
    /// "OKP"
    pub kty: String,
    /// "Ed25519"
    pub crv: String,
    /// The public key, base64url.
    pub x: String,
    /// The key's RFC 7638 thumbprint: the `kid` in the header of the tokens it signs.
    pub kid: String,
    /// "EdDSA"
    pub alg: String,
    /// "sig"
    #[serde(rename = "use")]
    pub key_use: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_response_has_the_original_field_names() {
        let body = LoginResponse {
            user: None,
            access_token: "t".into(),
            token_type: TOKEN_TYPE.into(),
            user_id: Uuid::nil(),
            email: "a@b.co".into(),
            refresh_token: None,
            expires_in: None,
            session_id: None,
        };
        let json = serde_json::to_value(&body).unwrap();
        let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["access_token", "email", "token_type", "user_id"]);
        assert_eq!(json["token_type"], "bearer");
    }
}
