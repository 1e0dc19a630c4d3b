//! Password reset over HTTP: ask for a code, then trade it for a new password.

use authdesk_contract::{MessageResponse, PasswordResetConfirm, PasswordResetRequest, PASSWORD_RESET_REQUESTED};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx};
use crate::app::AppState;

/// 202 whether or not an account has the address: what happens next is not the caller's to know.
pub async fn request(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> Result<(StatusCode, Json<MessageResponse>), ApiError> {
    state.auth.request_password_reset(&req.email, &ctx).await?;
    Ok((StatusCode::ACCEPTED, Json(MessageResponse { message: PASSWORD_RESET_REQUESTED.into() })))
}

pub async fn confirm(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> Result<Json<MessageResponse>, ApiError> {
    state.auth.confirm_password_reset(&req.email, &req.code, req.new_password, &ctx).await?;
    Ok(Json(MessageResponse { message: "Your password has been reset. Sign in with the new password.".into() }))
}
