//! Password reset over HTTP: ask for a code, then trade it for a new password.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{MessageResponse, PasswordResetConfirm, PasswordResetRequest, PASSWORD_RESET_REQUESTED};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx};
use super::state::AppState;

/// 202 whether or not an account has the address: what happens next is not the caller's to know.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/password-reset/request", operation_id = "password_reset_request", tag = "password-reset", request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "The same answer whether or not an account has the address", body = MessageResponse),
        (status = 400, description = "Not an email address", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many reset requests for this address or from this client", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn request(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> Result<(StatusCode, Json<MessageResponse>), ApiError> {
    state.auth.request_password_reset(&req.email, &ctx).await?;
    Ok((StatusCode::ACCEPTED, Json(MessageResponse { message: PASSWORD_RESET_REQUESTED.into() })))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/password-reset/confirm", operation_id = "password_reset_confirm", tag = "password-reset", request_body = PasswordResetConfirm,
    responses(
        (status = 200, description = "The password is reset; every session ended", body = MessageResponse),
        (status = 400, description = "Invalid or expired code, or a password the policy refuses", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many confirmations for this address or from this client", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn confirm(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> Result<Json<MessageResponse>, ApiError> {
    state.auth.confirm_password_reset(&req.email, &req.code, req.new_password, &ctx).await?;
    Ok(Json(MessageResponse { message: "Your password has been reset. Sign in with the new password.".into() }))
}
