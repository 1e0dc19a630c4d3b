//! Sessions: created at login, kept alive by rotating refresh tokens, ended by sign-out.

use authdesk_contract::{LoginResponse, MessageResponse, RefreshRequest, SessionInfo, TOKEN_TYPE};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use chrono::TimeDelta;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::app::AppState;
use crate::auth::refresh;
use crate::store::{self, RefreshRecord, SessionRecord, UserRecord};

/// A client may name itself (the desktop app does); otherwise its User-Agent labels the session.
pub const CLIENT_NAME_HEADER: &str = "x-client-name";
const MAX_LABEL_CHARS: usize = 200;

fn label(headers: &HeaderMap) -> String {
    let named = |name: &str| {
        headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
    };
    let label = named(CLIENT_NAME_HEADER)
        .or_else(|| named(header::USER_AGENT.as_str()))
        .unwrap_or_else(|| "Unknown client".into());
    label.chars().take(MAX_LABEL_CHARS).collect()
}

fn ttl(d: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

fn answer(state: &AppState, user: &UserRecord, session_id: Uuid, refresh_token: String) -> LoginResponse {
    LoginResponse {
        access_token: state.tokens.issue(user.id, Some(session_id)),
        token_type: TOKEN_TYPE.into(),
        user_id: user.id,
        email: user.email.clone(),
        refresh_token: Some(refresh_token),
        expires_in: Some(state.tokens.ttl().as_secs()),
        session_id: Some(session_id),
    }
}

/// Opens a session for a successful login: the login response with its refresh token.
pub async fn start(state: &AppState, user: &UserRecord, headers: &HeaderMap) -> Result<LoginResponse, ApiError> {
    let now = store::now();
    let expires_at = now + ttl(state.refresh_token_ttl);
    let session = SessionRecord {
        id: Uuid::new_v4(),
        user_id: user.id,
        label: label(headers),
        created_at: now,
        last_used_at: now,
        expires_at,
        revoked_at: None,
    };
    let (token, token_hash) = refresh::generate();
    let record = RefreshRecord {
        token_hash,
        session_id: session.id,
        created_at: now,
        expires_at,
        spent_at: None,
        successor_hash: None,
        successor_sealed: None,
    };
    state.store.create_session(&session, &record).await?;
    Ok(answer(state, user, session.id, token))
}

fn refused(detail: &str) -> ApiError {
    ApiError::Unauthorized(detail.into())
}

/// Trades a refresh token for a new access token and a new refresh token; the old one is spent.
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    const INVALID: &str = "Invalid refresh token";
    let presented = req.refresh_token.trim();
    let presented_hash = refresh::hash(presented);
    let mut record = state.store.refresh_token(&presented_hash).await?.ok_or_else(|| refused(INVALID))?;
    let session = state.store.session(record.session_id).await?.ok_or_else(|| refused(INVALID))?;
    if session.revoked_at.is_some() {
        return Err(refused("This session has been signed out. Please sign in again."));
    }
    let now = store::now();
    if record.expires_at <= now {
        return Err(refused("Refresh token expired. Please sign in again."));
    }
    let user = state.store.user_by_id(session.user_id).await?.ok_or_else(|| refused(INVALID))?;

    if record.spent_at.is_none() {
        let (successor, successor_hash) = refresh::generate();
        let sealed = refresh::seal(&successor, presented).ok_or_else(|| refused(INVALID))?;
        let next = RefreshRecord {
            token_hash: successor_hash,
            session_id: session.id,
            created_at: now,
            expires_at: now + ttl(state.refresh_token_ttl),
            spent_at: None,
            successor_hash: None,
            successor_sealed: None,
        };
        if state.store.rotate_refresh(&presented_hash, &next, &sealed, now).await? {
            return Ok(Json(answer(&state, &user, session.id, successor)));
        }
        // Another request rotated it a moment ago: read what it left and treat this as its twin.
        record = state.store.refresh_token(&presented_hash).await?.ok_or_else(|| refused(INVALID))?;
    }

    // A spent token. Within the grace window after its rotation, a racing twin of that refresh gets
    // the same successor (if still unspent) rather than killing the session.
    let within_grace = record.spent_at.is_some_and(|spent| now - spent <= ttl(state.refresh_grace));
    if within_grace {
        if let (Some(sealed), Some(successor_hash)) = (&record.successor_sealed, &record.successor_hash) {
            if let Some(successor) = refresh::unseal(sealed, presented).filter(|s| &refresh::hash(s) == successor_hash)
            {
                let unspent = state.store.refresh_token(successor_hash).await?.is_some_and(|r| r.spent_at.is_none());
                if unspent {
                    state.store.touch_session(session.id, now).await?;
                    return Ok(Json(answer(&state, &user, session.id, successor)));
                }
            }
        }
    }
    // Reuse of a spent token: it was copied. End the session for every holder.
    state.store.revoke_session(user.id, session.id, now).await?;
    tracing::warn!(user_id = %user.id, session_id = %session.id, "refresh token reuse detected; session revoked");
    Err(refused("Refresh token was already used. The session has been signed out for safety; please sign in again."))
}

/// Signs out the caller's session: its access token is refused from now on.
pub async fn logout(State(state): State<AppState>, current: CurrentUser) -> Result<Json<MessageResponse>, ApiError> {
    if let Some(sid) = current.session_id {
        state.store.revoke_session(current.user.id, sid, store::now()).await?;
    }
    Ok(Json(MessageResponse { message: "Signed out".into() }))
}

/// Signs out every session of the user, and their older session-less tokens.
pub async fn logout_all(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<MessageResponse>, ApiError> {
    let n = state.store.revoke_all_sessions(current.user.id, store::now()).await?;
    Ok(Json(MessageResponse { message: format!("Signed out of {n} session{}", if n == 1 { "" } else { "s" }) }))
}

pub async fn list(State(state): State<AppState>, current: CurrentUser) -> Result<Json<Vec<SessionInfo>>, ApiError> {
    let sessions = state.store.live_sessions(current.user.id, store::now()).await?;
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

/// Signs out one of the caller's sessions. Another user's session id is "not found".
pub async fn revoke(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let not_found = || ApiError::NotFound("Session not found".into());
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    if state.store.revoke_session(current.user.id, id, store::now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}
