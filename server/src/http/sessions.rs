//! Sessions over HTTP: refresh, sign out, list and end sessions.

use authdesk_contract::{LoginResponse, MessageResponse, RefreshRequest, SessionInfo, TOKEN_TYPE};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::app::AppState;
use crate::auth::{AuthError, Grant};

/// A client may name itself (the desktop app does); otherwise its User-Agent labels the session.
pub const CLIENT_NAME_HEADER: &str = "x-client-name";

/// The name a new session is listed under.
pub fn client_label(headers: &HeaderMap) -> String {
    let named = |name: &str| {
        headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
    };
    named(CLIENT_NAME_HEADER).or_else(|| named(header::USER_AGENT.as_str())).unwrap_or_else(|| "Unknown client".into())
}

pub fn login_response(grant: Grant) -> LoginResponse {
    LoginResponse {
        access_token: grant.access_token,
        token_type: TOKEN_TYPE.into(),
        user_id: grant.user_id,
        email: grant.email,
        refresh_token: Some(grant.refresh_token),
        expires_in: Some(grant.expires_in),
        session_id: Some(grant.session_id),
    }
}

/// Trades a refresh token for a new access token and a new refresh token; the old one is spent.
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    Ok(Json(login_response(state.auth.refresh(&req.refresh_token).await?)))
}

/// Signs out the caller's session: its access token is refused from now on.
pub async fn logout(State(state): State<AppState>, current: CurrentUser) -> Result<Json<MessageResponse>, ApiError> {
    state.auth.sign_out(&current.user, current.session_id).await?;
    Ok(Json(MessageResponse { message: "Signed out".into() }))
}

/// Signs out every session of the user, and their older session-less tokens.
pub async fn logout_all(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<MessageResponse>, ApiError> {
    let n = state.auth.end_all_sessions(&current.user).await?;
    Ok(Json(MessageResponse { message: format!("Signed out of {n} session{}", if n == 1 { "" } else { "s" }) }))
}

pub async fn list(State(state): State<AppState>, current: CurrentUser) -> Result<Json<Vec<SessionInfo>>, ApiError> {
    let sessions = state.auth.sessions(&current.user).await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|s| SessionInfo {
                current: Some(s.id) == current.session_id,
                id: s.id,
                label: s.label,
                created_at: s.created_at,
                last_used_at: s.last_used_at,
                expires_at: s.expires_at,
            })
            .collect(),
    ))
}

/// Signs out one of the caller's sessions. Another user's session id is "not found", as is an id
/// that is not a UUID.
pub async fn revoke(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| AuthError::SessionNotFound)?;
    state.auth.end_session(&current.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
