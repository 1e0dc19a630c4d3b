//! The second factor over HTTP: set up, turn on and off, recovery codes, and the sign-in's second
//! step.

use authdesk_contract::{
    LoginResponse, MessageResponse, MfaDisableRequest, MfaVerifyRequest, PasswordConfirmation, RecoveryCodesResponse,
    TotpEnableRequest, TotpSetupResponse,
};
use axum::extract::State;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx, CurrentUser};
use super::sessions::login_response;
use crate::app::AppState;
use crate::auth::SecondFactor;

pub async fn setup(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordConfirmation>,
) -> Result<Json<TotpSetupResponse>, ApiError> {
    let setup = state.auth.setup_totp(&user, req.password, &ctx).await?;
    Ok(Json(TotpSetupResponse { secret: setup.secret, otpauth_url: setup.otpauth_url }))
}

pub async fn enable(
    State(state): State<AppState>,
    CurrentUser { user, session_id }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<TotpEnableRequest>,
) -> Result<Json<RecoveryCodesResponse>, ApiError> {
    let recovery_codes = state.auth.enable_totp(&user, session_id, &req.code, &ctx).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

pub async fn recovery_codes(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordConfirmation>,
) -> Result<Json<RecoveryCodesResponse>, ApiError> {
    let recovery_codes = state.auth.regenerate_recovery_codes(&user, req.password, &ctx).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

pub async fn disable(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<MfaDisableRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    state.auth.disable_totp(&user, req.password, &req.code, &ctx).await?;
    Ok(Json(MessageResponse { message: "Two-factor authentication is off.".into() }))
}

/// The sign-in's second step: exactly the login response, for the challenge and one factor.
pub async fn verify(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<MfaVerifyRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let factor = match (req.code, req.recovery_code) {
        (Some(code), None) => SecondFactor::Code(code),
        (None, Some(code)) => SecondFactor::RecoveryCode(code),
        _ => return Err(ApiError::Unprocessable("Send either 'code' or 'recovery_code'".into())),
    };
    Ok(Json(login_response(state.auth.verify_second_factor(&req.mfa_token, factor, &ctx).await?)))
}
