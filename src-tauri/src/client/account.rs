//! Signing in with a second factor, managing that factor, and password reset.

use authdesk_contract::{
    EmailNotVerifiedBody, LoginRequest, LoginResponse, MessageResponse, MfaDisableRequest, MfaRequiredBody,
    MfaVerifyRequest, PasswordConfirmation, PasswordResetConfirm, PasswordResetRequest, RecoveryCodesRequest,
    RecoveryCodesResponse, ResendVerificationRequest, SsoInfo, SsoTokenRequest, TotpEnableRequest, TotpSetupResponse,
    VerifyEmailRequest,
};
use axum::http::{Method, StatusCode};

use super::transport::{read, Answer};
use super::Client;
use crate::Result;

/// What a password sign-in got.
pub enum SignIn {
    Granted(Box<LoginResponse>),
    /// The account has a second factor: the challenge to answer with a code.
    SecondFactor {
        mfa_token: String,
    },
    /// The right password for an account whose address waits for its mailed code.
    VerifyEmail,
}

/// A sign-in's answer: granted, or (not refusals: their bodies say what comes next) the second
/// factor's challenge (401) or a wait for the address's verification (403).
fn sign_in(answer: Answer) -> Result<SignIn> {
    if answer.status == StatusCode::UNAUTHORIZED {
        if let Ok(body) = serde_json::from_slice::<MfaRequiredBody>(&answer.body) {
            if body.mfa_required {
                return Ok(SignIn::SecondFactor { mfa_token: body.mfa_token });
            }
        }
    }
    if answer.status == StatusCode::FORBIDDEN {
        if let Ok(body) = serde_json::from_slice::<EmailNotVerifiedBody>(&answer.body) {
            if body.verification_required {
                return Ok(SignIn::VerifyEmail);
            }
        }
    }
    read(answer).map(|granted| SignIn::Granted(Box::new(granted)))
}

impl Client {
    /// Signs in with a password (see [`sign_in`]).
    pub async fn login(&self, req: &LoginRequest) -> Result<SignIn> {
        sign_in(self.send(Method::POST, "/api/auth/login", None, Some(req)).await?)
    }

    /// Verifies the address with its mailed code, which signs in as a password would.
    pub async fn verify_email(&self, req: &VerifyEmailRequest) -> Result<SignIn> {
        sign_in(self.send(Method::POST, "/api/auth/verify-email", None, Some(req)).await?)
    }

    /// Whether the server offers single sign-on; a server older than it does not.
    pub async fn sso_info(&self) -> Result<SsoInfo> {
        let answer = self.send(Method::GET, "/api/auth/sso", None, None::<&()>).await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(SsoInfo::default());
        }
        read(answer)
    }

    /// Trades single sign-on's one-time code for a session (see [`sign_in`]).
    pub async fn sso_token(&self, req: &SsoTokenRequest) -> Result<SignIn> {
        sign_in(self.send(Method::POST, "/api/auth/sso/token", None, Some(req)).await?)
    }

    pub async fn resend_verification(&self, req: &ResendVerificationRequest) -> Result<MessageResponse> {
        read(self.send(Method::POST, "/api/auth/verify-email/resend", None, Some(req)).await?)
    }

    /// The sign-in's second step. A wrong code is [`ErrorKind::Rejected`] (code `invalid_code`);
    /// an expired or spent challenge stays [`ErrorKind::Unauthorized`] (the sign-in starts over).
    pub async fn verify_second_factor(&self, req: &MfaVerifyRequest) -> Result<LoginResponse> {
        read(self.send(Method::POST, "/api/auth/mfa/verify", None, Some(req)).await?)
    }

    /// A wrong password is [`ErrorKind::Rejected`] (see [`Client::password_rechecked`]).
    pub async fn set_up_totp(&self, token: &str, req: &PasswordConfirmation) -> Result<TotpSetupResponse> {
        let answer = self.send(Method::POST, "/api/auth/mfa/totp/setup", Some(token), Some(req)).await?;
        read(self.password_rechecked(token, answer).await?)
    }

    pub async fn enable_totp(&self, token: &str, req: &TotpEnableRequest) -> Result<RecoveryCodesResponse> {
        read(self.send(Method::POST, "/api/auth/mfa/totp/enable", Some(token), Some(req)).await?)
    }

    /// A wrong password is [`ErrorKind::Rejected`]; so is a wrong or missing code (400).
    pub async fn regenerate_recovery_codes(
        &self,
        token: &str,
        req: &RecoveryCodesRequest,
    ) -> Result<RecoveryCodesResponse> {
        let answer = self.send(Method::POST, "/api/auth/mfa/recovery-codes", Some(token), Some(req)).await?;
        read(self.password_rechecked(token, answer).await?)
    }

    /// A wrong password is [`ErrorKind::Rejected`]; so is a wrong code (400).
    pub async fn disable_totp(&self, token: &str, req: &MfaDisableRequest) -> Result<MessageResponse> {
        let answer = self.send(Method::POST, "/api/auth/mfa/disable", Some(token), Some(req)).await?;
        read(self.password_rechecked(token, answer).await?)
    }

    pub async fn request_password_reset(&self, req: &PasswordResetRequest) -> Result<MessageResponse> {
        read(self.send(Method::POST, "/api/auth/password-reset/request", None, Some(req)).await?)
    }

    pub async fn confirm_password_reset(&self, req: &PasswordResetConfirm) -> Result<MessageResponse> {
        read(self.send(Method::POST, "/api/auth/password-reset/confirm", None, Some(req)).await?)
    }
}
