//! The second factor over HTTP: set up, turn on and off, recovery codes, and the sign-in's second
//! step.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{
    LoginResponse, MessageResponse, MfaDisableRequest, MfaVerifyRequest, PasswordConfirmation, RecoveryCodesRequest,
    RecoveryCodesResponse, TotpEnableRequest, TotpSetupResponse,
};
use axum::extract::State;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx, CurrentUser};
use super::sessions::signed_in;
use super::state::AppState;
use crate::auth::SecondFactor;

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/mfa/totp/setup", operation_id = "mfa_setup", tag = "mfa", security(("bearer" = [])), request_body = PasswordConfirmation,
    responses(
        (status = 200, description = "A new secret, not active until enabled", body = TotpSetupResponse),
        (status = 401, description = "Wrong password, or a refused token", body = ErrorBody),
        (status = 409, description = "Already on", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many password attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn setup(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordConfirmation>,
) -> Result<Json<TotpSetupResponse>, ApiError> {
    let setup = state.auth.setup_totp(&user, req.password, &ctx).await?;
    Ok(Json(TotpSetupResponse { secret: setup.secret, otpauth_url: setup.otpauth_url }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/mfa/totp/enable", operation_id = "mfa_enable", tag = "mfa", security(("bearer" = [])), request_body = TotpEnableRequest,
    responses(
        (status = 200, description = "On; every other session ended; the recovery codes, shown once", body = RecoveryCodesResponse),
        (status = 400, description = "Invalid code, or not set up", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 409, description = "Already on", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many code attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn enable(
    State(state): State<AppState>,
    CurrentUser { user, session_id }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<TotpEnableRequest>,
) -> Result<Json<RecoveryCodesResponse>, ApiError> {
    let recovery_codes = state.auth.enable_totp(&user, session_id, &req.code, &ctx).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/mfa/recovery-codes", operation_id = "mfa_recovery_codes", tag = "mfa", security(("bearer" = [])), request_body = RecoveryCodesRequest,
    responses(
        (status = 200, description = "Ten new codes; the old ones stop working", body = RecoveryCodesResponse),
        (status = 400, description = "No code or an invalid one, or two-factor authentication is off", body = ErrorBody),
        (status = 401, description = "Wrong password, or a refused token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many password or code attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn recovery_codes(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<RecoveryCodesRequest>,
) -> Result<Json<RecoveryCodesResponse>, ApiError> {
    let recovery_codes = state.auth.regenerate_recovery_codes(&user, req.password, req.code, &ctx).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/mfa/disable", operation_id = "mfa_disable", tag = "mfa", security(("bearer" = [])), request_body = MfaDisableRequest,
    responses(
        (status = 200, description = "Off", body = MessageResponse),
        (status = 400, description = "Invalid code, or already off", body = ErrorBody),
        (status = 401, description = "Wrong password, or a refused token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
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
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/mfa/verify", operation_id = "mfa_verify", tag = "mfa", request_body = MfaVerifyRequest,
    responses(
        (status = 200, description = "Signed in: exactly the login response", body = LoginResponse),
        (status = 401, description = "Invalid code, or the sign-in expired", body = ErrorBody),
        (status = 403, description = "The account is disabled", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many code attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
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
    let grant = state.auth.verify_second_factor(&req.mfa_token, factor, &ctx).await?;
    Ok(Json(signed_in(&state, grant).await?))
}
