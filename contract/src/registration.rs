//! Who may join a server: its registration mode, verified addresses and invitations.
//!
//! All additive: a server in the default `open` mode answers the original design's register and
//! login exactly as before; a reader of an older server gets `open` and no allowed domains.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ErrorCode;

/// How a server lets people create accounts (`AUTHDESK_REGISTRATION`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationMode {
    /// Anyone may register with any allowed address (the original design's behaviour).
    #[default]
    Open,
    /// Anyone may register, and signs in once a code mailed to the address is entered.
    Verified,
    /// Only with an administrator's invitation.
    Invite,
}

impl RegistrationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Verified => "verified",
            RegistrationMode::Invite => "invite",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "open" => Some(RegistrationMode::Open),
            "verified" => Some(RegistrationMode::Verified),
            "invite" => Some(RegistrationMode::Invite),
            _ => None,
        }
    }
}

/// `GET /api/auth/registration`: what the sign-up form should ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationInfo {
    pub mode: RegistrationMode,
    /// The only domains addresses may have (empty: any). Invitations are allowed for any address.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
}

/// `POST /api/auth/register` in `verified` mode: 201 with this message and
/// `verification_required: true`, whether the address was new, already verified or not yet.
pub const VERIFICATION_SENT: &str = "Check your email for a code to verify your address.";

/// `POST /api/auth/verify-email`: the mailed code for the address. Answered as a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyEmailRequest {
    pub email: String,
    pub code: String,
}

/// `POST /api/auth/verify-email/resend`: always 202 with [`VERIFICATION_RESENT`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResendVerificationRequest {
    pub email: String,
}

pub const VERIFICATION_RESENT: &str = "If an unverified account exists for that address, a new code has been sent.";

/// `POST /api/auth/login` with the right password for an account whose address is not verified yet,
/// on a `verified` server: 403, no token, and no mail (the client asks for one with resend).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailNotVerifiedBody {
    pub detail: String,
    /// Always [`ErrorCode::EmailNotVerified`].
    #[serde(default)]
    pub code: ErrorCode,
    pub verification_required: bool,
}

/// `POST /api/admin/invitations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationRequest {
    pub email: String,
    /// `user` (the default) or `admin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A pending invitation. `code` only in the answer that created it: it is stored hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/admin/invitations`: the pending ones, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationList {
    pub invitations: Vec<Invitation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_read_as_the_setting_and_the_wire_spell_them() {
        for mode in [RegistrationMode::Open, RegistrationMode::Verified, RegistrationMode::Invite] {
            assert_eq!(RegistrationMode::parse(mode.as_str()), Some(mode));
            assert_eq!(serde_json::to_value(mode).unwrap(), mode.as_str());
        }
        assert_eq!(RegistrationMode::parse(" Invite "), Some(RegistrationMode::Invite));
        assert_eq!(RegistrationMode::parse("closed"), None);
        let older: RegistrationInfo = serde_json::from_str(r#"{"mode":"open"}"#).unwrap();
        assert_eq!(older, RegistrationInfo::default());
    }
}
