//! Sessions over HTTP: refresh, sign out, list and end sessions.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{
    LoginResponse, LogoutRequest, MessageResponse, RefreshRequest, RevokedSessions, SessionInfo, SessionsEnded,
    TOKEN_TYPE,
};
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx, CurrentUser};
use super::state::AppState;
use crate::auth::{AuthError, Grant};

/// The answer to a refresh; a sign-in's also carries the user ([`signed_in`]).
pub fn login_response(grant: Grant) -> LoginResponse {
    LoginResponse {
        access_token: grant.access_token,
        token_type: TOKEN_TYPE.into(),
        user_id: grant.user.id,
        email: grant.user.email,
        refresh_token: Some(grant.refresh_token),
        expires_in: Some(grant.expires_in),
        session_id: Some(grant.session_id),
        user: None,
    }
}

/// The answer to a sign-in (password, or second factor): the tokens and who is signed in.
pub async fn signed_in(state: &AppState, grant: Grant) -> Result<LoginResponse, ApiError> {
    let user = super::accounts::profile(state, &grant.user).await?;
    Ok(LoginResponse { user: Some(user), ..login_response(grant) })
}

/// Trades a refresh token for a new access token and a new refresh token; the old one is spent.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/refresh", tag = "sessions", request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new access token and the session's next refresh token; the presented one is spent", body = LoginResponse),
        (status = 401, description = "Unknown, expired, reused or signed-out refresh token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many refreshes of this session", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn refresh(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    Ok(Json(login_response(state.auth.refresh(&req.refresh_token, &ctx).await?)))
}

/// Signs out a session: its access tokens are refused from now on, its refresh tokens too.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/logout", tag = "sessions", security(("bearer" = []), ()), request_body(content = Option<LogoutRequest>, description = "Without an Authorization header: the session's refresh token"),
    responses(
        (status = 200, description = "Signed out", body = MessageResponse),
        (status = 401, description = "No token, or an unknown refresh token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn logout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    by: SignOutBy,
) -> Result<Json<MessageResponse>, ApiError> {
    match by {
        SignOutBy::Bearer(current) => state.auth.sign_out(&current.user, current.session_id, &ctx).await?,
        SignOutBy::RefreshToken(token) => state.auth.sign_out_with_refresh_token(&token, &ctx).await?,
    }
    Ok(Json(MessageResponse { message: "Signed out".into() }))
}

/// Which session `POST /api/auth/logout` ends. An Authorization header decides exactly as in the
/// original contract (the bearer's session), whatever token the body names. Without one, a body
/// `{"refresh_token"}` names the session; with neither, the original 401 answers. A body, when
/// there is one, must be a [`LogoutRequest`] either way: malformed input is refused, not ignored.
pub enum SignOutBy {
    Bearer(CurrentUser),
    RefreshToken(String),
}

impl FromRequest<AppState> for SignOutBy {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, body) = request.into_parts();
        // Over the limit, or cut off (then the client is gone and hears nothing anyway).
        let bytes = super::extract::body_within_limit(body, super::MAX_BODY_BYTES).await?;
        // A refused bearer token answers 401 before anything is said about the body.
        let bearer = if parts.headers.contains_key(header::AUTHORIZATION) {
            Some(CurrentUser::from_request_parts(&mut parts, state).await?)
        } else {
            None
        };
        let named = if bytes.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            let request = Request::from_parts(parts.clone(), Body::from(bytes));
            let ApiJson(LogoutRequest { refresh_token }) =
                ApiJson::<LogoutRequest>::from_request(request, state).await?;
            refresh_token
        };
        match (bearer, named) {
            (Some(current), _) => Ok(Self::Bearer(current)),
            (None, Some(token)) => Ok(Self::RefreshToken(token)),
            // Neither: the original design's 401.
            (None, None) => Ok(Self::Bearer(CurrentUser::from_request_parts(&mut parts, state).await?)),
        }
    }
}

/// Signs out every session of the user, and their older session-less tokens.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/logout-all", tag = "sessions", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every session signed out; how many", body = SessionsEnded),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn logout_all(
    State(state): State<AppState>,
    current: CurrentUser,
    Ctx(ctx): Ctx,
) -> Result<Json<SessionsEnded>, ApiError> {
    let n = state.auth.end_sessions(&current.user, None, &ctx).await?;
    Ok(Json(signed_out_of(n)))
}

/// Signs out every session of the user but the caller's, in one step (a session-less token of
/// the original design has no session to keep: everything ends, as with `logout-all`).
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/sessions/revoke-others", tag = "sessions", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every other session signed out; how many", body = RevokedSessions),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn revoke_others(
    State(state): State<AppState>,
    current: CurrentUser,
    Ctx(ctx): Ctx,
) -> Result<Json<RevokedSessions>, ApiError> {
    let revoked = state.auth.end_sessions(&current.user, current.session_id, &ctx).await?;
    Ok(Json(RevokedSessions { revoked }))
}

/// "Signed out of 3 sessions" (and the 3): what ending every session of an account answers.
pub fn signed_out_of(n: u64) -> SessionsEnded {
    SessionsEnded { message: format!("Signed out of {n} session{}", if n == 1 { "" } else { "s" }), revoked: Some(n) }
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/auth/sessions", operation_id = "list_sessions", tag = "sessions", security(("bearer" = [])),
    responses(
        (status = 200, description = "The live sessions, newest first", body = [SessionInfo]),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
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
#[cfg_attr(feature = "openapi", utoipa::path(
    delete, path = "/api/auth/sessions/{id}", operation_id = "revoke_session", tag = "sessions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such live session of yours", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn revoke(
    State(state): State<AppState>,
    current: CurrentUser,
    Ctx(ctx): Ctx,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| AuthError::SessionNotFound)?;
    state.auth.end_session(&current.user, id, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
