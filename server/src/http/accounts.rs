//! Register, log in, who am I, change password, delete account: extract, call the auth service,
//! answer.

use authdesk_contract::{
    ChangePasswordRequest, DeleteAccountRequest, LoginRequest, LoginResponse, MeResponse, MessageResponse,
    RegisterRequest, RegisterResponse, REGISTERED_MESSAGE,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx, CurrentUser};
use super::sessions::login_response;
use crate::app::AppState;
use crate::auth::Credentials;

pub async fn register(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let user = state.auth.register(Credentials { email: req.email, password: req.password }, &ctx).await?;
    let body = RegisterResponse { user_id: user.id, email: user.email, message: REGISTERED_MESSAGE.into() };
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn login(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let credentials = Credentials { email: req.email, password: req.password };
    let grant = state.auth.login(credentials, &ctx).await?;
    Ok(Json(login_response(grant)))
}

pub async fn me(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
) -> Result<Json<MeResponse>, ApiError> {
    let (mfa_enabled, recovery_codes_left) = state.store.mfa_status(user.id).await?;
    Ok(Json(MeResponse {
        user_id: user.id,
        email: user.email,
        created_at: user.created_at,
        last_login_at: user.last_login_at,
        mfa_enabled,
        recovery_codes_left,
        role: user.role.as_str().into(),
    }))
}

/// Changes the password and signs out every other session (and older session-less tokens).
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser { user, session_id }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    state.auth.change_password(&user, session_id, req.current_password, req.new_password, &ctx).await?;
    Ok(Json(MessageResponse { message: "Password changed. Other sessions have been signed out.".into() }))
}

/// Deletes the account with everything it owns, after re-checking the password.
pub async fn delete_account(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<DeleteAccountRequest>,
) -> Result<StatusCode, ApiError> {
    state.auth.delete_account(&user, req.password, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
