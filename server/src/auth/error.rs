//! The one error type of the auth flows. Each variant is one thing a user did wrong (or the
//! database failing); `http::error` gives each its status and sentence.

use std::time::Duration;

use authdesk_contract::{EmailError, PasswordRule};

use super::password::Busy;
use super::TokenError;
use crate::rate_limit::LimitError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("invalid email: {0:?}")]
    InvalidEmail(EmailError),
    #[error("password policy: {0:?}")]
    WeakPassword(PasswordRule),
    /// The new password appears in the breached-password service's list.
    #[error("password seen in a data breach")]
    BreachedPassword,
    #[error("email already registered")]
    EmailTaken,
    /// Unknown email or wrong password: deliberately the same answer.
    #[error("invalid email or password")]
    BadCredentials,
    /// A limit's window is full; `noun` names what was counted ("login attempts"); `lockout`
    /// when it is the account's failed checks rather than a rate.
    #[error("too many {noun}")]
    Limited { noun: &'static str, retry_after: Duration, lockout: bool },
    /// Too many password checks are already waiting for the hasher.
    #[error("password hashing is saturated")]
    Busy { retry_after: Duration },
    /// The current password given to change it is wrong.
    #[error("current password incorrect")]
    WrongCurrentPassword,
    /// The password given to confirm a sensitive action (account deletion) is wrong.
    #[error("password incorrect")]
    WrongPassword,
    #[error("token refused: {0}")]
    Token(TokenError),
    #[error("unknown refresh token")]
    UnknownRefreshToken,
    #[error("refresh token expired")]
    RefreshTokenExpired,
    #[error("session signed out")]
    SessionSignedOut,
    /// A spent refresh token came back after its grace window: it was copied.
    #[error("refresh token reused")]
    RefreshTokenReused,
    #[error("no such session")]
    SessionNotFound,
    /// The password was right; the account asks for its second factor, with this challenge.
    #[error("second factor required")]
    MfaRequired { mfa_token: String },
    /// A wrong code where the factor is being set up or turned off.
    #[error("invalid code")]
    CodeRejected,
    /// No code where a current code or a recovery code is needed.
    #[error("code required")]
    CodeRequired,
    /// A wrong code or recovery code where a sign-in waits for it.
    #[error("invalid second factor")]
    SecondFactorRejected,
    /// The sign-in's challenge is spent, expired or unknown.
    #[error("sign-in expired")]
    MfaExpired,
    #[error("two-factor authentication already on")]
    MfaAlreadyOn,
    #[error("two-factor authentication off")]
    MfaOff,
    #[error("two-factor authentication not set up")]
    TotpNotSetUp,
    /// The right password for a disabled account (a wrong one is [`AuthError::BadCredentials`]).
    #[error("account disabled")]
    AccountDisabled,
    /// An administrator's action asked for by someone else.
    #[error("administrator access required")]
    AdminRequired,
    /// An administrator's action on their own account that would lock them out.
    #[error("cannot {0}")]
    SelfAdministration(&'static str),
    /// No account has the address or id an administrator named.
    #[error("no such user")]
    UserNotFound,
    /// A password reset code that is wrong, used, replaced, expired or out of tries, or an
    /// address with no account: deliberately the same answer.
    #[error("invalid or expired reset code")]
    ResetCodeRejected,
    /// The right password for an account whose address is not verified, on a `verified` server.
    #[error("email address not verified")]
    EmailNotVerified,
    /// A verification code that is wrong, spent, replaced, expired or out of tries, or an address
    /// with nothing to verify: deliberately the same answer.
    #[error("invalid or expired verification code")]
    VerificationCodeRejected,
    /// An `invite` server and no invitation code.
    #[error("registration requires an invitation")]
    InvitationRequired,
    /// An invitation code that is wrong, spent, expired or another address's.
    #[error("invalid or expired invitation")]
    InvalidInvitation,
    /// An address whose domain the server does not register.
    #[error("domain not allowed")]
    DomainNotAllowed,
    #[error("no such invitation")]
    InvitationNotFound,
    /// Single sign-on is not set up on this server.
    #[error("single sign-on is off")]
    SsoOff,
    /// A single sign-on start the app asked for wrongly: what is wrong.
    #[error("invalid single sign-on start: {0}")]
    InvalidRedirectUri(&'static str),
    /// A provider's callback with an unknown, spent or expired `state`.
    #[error("unknown single sign-on state")]
    UnknownSsoState,
    /// A one-time single sign-on code that is wrong, spent, expired, or not for this verifier.
    #[error("invalid single sign-on code")]
    InvalidGrant,
    /// The provider cannot be reached (or its discovery is unusable).
    #[error("sign-in provider unavailable: {0}")]
    SsoUnavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<LimitError> for AuthError {
    fn from(e: LimitError) -> Self {
        match e {
            LimitError::Limited { scope, retry_after } => {
                AuthError::Limited { noun: scope.noun, retry_after, lockout: scope.lockout }
            }
            LimitError::Store(e) => AuthError::Store(e),
        }
    }
}

impl From<Busy> for AuthError {
    fn from(Busy { retry_after }: Busy) -> Self {
        AuthError::Busy { retry_after }
    }
}

impl From<TokenError> for AuthError {
    fn from(e: TokenError) -> Self {
        AuthError::Token(e)
    }
}
