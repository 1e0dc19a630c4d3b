//! The administration API (`/api/admin/…`): for signed-in administrators only; everyone else gets
//! 403 "Administrator access required".

use authdesk_contract::{AdminUser, AdminUserPage, AuditEntry, AuditPage, MessageResponse};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{Ctx, CurrentUser};
use crate::admin::{parse_since, Actor, UserDetail};
use crate::app::AppState;
use crate::auth::AuthError;
use crate::store::{AuditEvent, AuditFilter, Role, UserRecord};

/// A signed-in administrator, as the actor of what the request does.
pub struct Administrator(pub Actor);

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let current = CurrentUser::from_request_parts(parts, state).await?;
        if current.user.role != Role::Admin {
            return Err(AuthError::AdminRequired.into());
        }
        let Ctx(ctx) = Ctx::from_request_parts(parts, state).await?;
        Ok(Administrator(Actor { id: Some(current.user.id), ctx }))
    }
}

pub fn admin_user(user: &UserRecord) -> AdminUser {
    AdminUser {
        id: user.id,
        email: user.email.clone(),
        role: user.role.as_str().into(),
        disabled: user.disabled_at.is_some(),
        created_at: user.created_at,
        last_login_at: user.last_login_at,
        mfa_enabled: None,
        active_sessions: None,
    }
}

fn detailed(d: UserDetail) -> AdminUser {
    AdminUser { mfa_enabled: Some(d.mfa_enabled), active_sessions: Some(d.active_sessions), ..admin_user(&d.user) }
}

pub fn audit_entry(e: AuditEvent) -> AuditEntry {
    AuditEntry {
        id: e.id,
        at: e.at,
        kind: e.kind,
        outcome: e.outcome,
        user_id: e.user_id,
        email: e.email,
        client_ip: e.client_ip,
        client: e.client,
        session_id: e.session_id,
        request_id: e.request_id,
        actor_id: e.actor_id,
        details: e.details.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_else(|| serde_json::json!({})),
    }
}

#[derive(Deserialize)]
pub struct UsersQuery {
    query: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

pub async fn users(
    State(state): State<AppState>,
    _: Administrator,
    Query(q): Query<UsersQuery>,
) -> Result<Json<AdminUserPage>, ApiError> {
    let (users, next_cursor) =
        state.admin.users(q.query.as_deref(), q.cursor.as_deref(), q.limit.unwrap_or(50)).await?;
    Ok(Json(AdminUserPage { users: users.iter().map(admin_user).collect(), next_cursor }))
}

/// A path id that is not a UUID names no user.
fn user_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| AuthError::UserNotFound.into())
}

pub async fn user(
    State(state): State<AppState>,
    _: Administrator,
    Path(id): Path<String>,
) -> Result<Json<AdminUser>, ApiError> {
    let user = state.admin.user(user_id(&id)?).await?;
    Ok(Json(detailed(state.admin.detail(user).await?)))
}

pub async fn disable(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<Json<AdminUser>, ApiError> {
    let target = state.admin.user(user_id(&id)?).await?;
    state.admin.disable(&target, &by).await?;
    Ok(Json(admin_user(&state.admin.user(target.id).await?)))
}

pub async fn enable(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<Json<AdminUser>, ApiError> {
    let target = state.admin.user(user_id(&id)?).await?;
    state.admin.enable(&target, &by).await?;
    Ok(Json(admin_user(&state.admin.user(target.id).await?)))
}

pub async fn revoke_sessions(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<Json<MessageResponse>, ApiError> {
    let target = state.admin.user(user_id(&id)?).await?;
    let n = state.admin.revoke_sessions(&target, &by).await?;
    Ok(Json(MessageResponse { message: format!("Signed out of {n} session{}", if n == 1 { "" } else { "s" }) }))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    user_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    since: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    _: Administrator,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let bad = |what: &str| ApiError::BadRequest(what.to_owned());
    let filter = AuditFilter {
        user_id: q
            .user_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(Uuid::parse_str)
            .transpose()
            .map_err(|_| bad("user_id must be a UUID"))?,
        kind: q.kind.filter(|k| !k.is_empty()),
        since: q
            .since
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| parse_since(s).ok_or_else(|| bad("since must be a date (2026-11-01) or an RFC 3339 time")))
            .transpose()?,
        before: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(str::parse)
            .transpose()
            .map_err(|_| bad("Invalid cursor"))?,
        limit: i64::from(q.limit.unwrap_or(50)),
    };
    let (events, next_cursor) = state.admin.audit(filter).await?;
    Ok(Json(AuditPage { events: events.into_iter().map(audit_entry).collect(), next_cursor }))
}
