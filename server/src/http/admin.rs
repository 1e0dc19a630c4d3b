//! The administration API (`/api/admin/…`): for signed-in administrators only; everyone else gets
//! 403 "Administrator access required".

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{AdminUser, AdminUserPage, AuditPage, SessionsEnded};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{Ctx, CurrentUser};
use super::sessions::signed_out_of;
use super::state::AppState;
use crate::admin::{audit_view, detail_view, parse_since, user_view, Actor, MAX_PAGE};
use crate::auth::AuthError;
use crate::store::{AuditFilter, Role};

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

#[derive(Deserialize)]
pub struct UsersQuery {
    query: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/admin/users", operation_id = "admin_list_users", tag = "admin", security(("bearer" = [])),
    params(
        ("query" = Option<String>, Query, description = "Only emails containing this"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "At most this many (default 50)"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor"),
    ),
    responses(
        (status = 200, description = "A page of accounts by email", body = AdminUserPage),
        (status = 400, description = "A parameter that cannot be read", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn users(
    State(state): State<AppState>,
    _: Administrator,
    Query(q): Query<UsersQuery>,
) -> Result<Json<AdminUserPage>, ApiError> {
    let (users, next_cursor) = state.admin.users(q.query.as_deref(), q.cursor.as_deref(), page_limit(q.limit)?).await?;
    Ok(Json(AdminUserPage { users: users.iter().map(user_view).collect(), next_cursor }))
}

/// `limit` as asked (1 to [`MAX_PAGE`]), or 50.
fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit.unwrap_or(50) {
        n @ 1..=MAX_PAGE => Ok(n),
        _ => Err(ApiError::invalid(format!("limit must be between 1 and {MAX_PAGE}"))),
    }
}

/// A path id that is not a UUID names no user.
fn user_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| AuthError::UserNotFound.into())
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/admin/users/{id}", operation_id = "admin_get_user", tag = "admin", security(("bearer" = [])), params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The account, with its second factor and live sessions", body = AdminUser),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 404, description = "User not found", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn user(
    State(state): State<AppState>,
    _: Administrator,
    Path(id): Path<String>,
) -> Result<Json<AdminUser>, ApiError> {
    let user = state.admin.user(user_id(&id)?).await?;
    Ok(Json(detail_view(&state.admin.detail(user).await?)))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/admin/users/{id}/disable", operation_id = "admin_disable_user", tag = "admin", security(("bearer" = [])), params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Disabled; every session ended", body = AdminUser),
        (status = 400, description = "Your own account", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 404, description = "User not found", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn disable(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<Json<AdminUser>, ApiError> {
    set_disabled(&state, &id, true, &by).await
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/admin/users/{id}/enable", operation_id = "admin_enable_user", tag = "admin", security(("bearer" = [])), params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Enabled", body = AdminUser),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 404, description = "User not found", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn enable(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<Json<AdminUser>, ApiError> {
    set_disabled(&state, &id, false, &by).await
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete, path = "/api/admin/users/{id}/sessions", operation_id = "admin_revoke_sessions", tag = "admin", security(("bearer" = [])), params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Every session of the account ended; how many", body = SessionsEnded),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 404, description = "User not found", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<Json<SessionsEnded>, ApiError> {
    let target = state.admin.user(user_id(&id)?).await?;
    let n = state.admin.revoke_sessions(&target, &by).await?;
    Ok(Json(signed_out_of(n)))
}

/// Disables or enables the account `id`; the account as it is now.
async fn set_disabled(state: &AppState, id: &str, disabled: bool, by: &Actor) -> Result<Json<AdminUser>, ApiError> {
    let target = state.admin.user(user_id(id)?).await?;
    state.admin.set_disabled(&target, disabled, by).await?;
    Ok(Json(user_view(&state.admin.user(target.id).await?)))
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

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/admin/audit", operation_id = "admin_audit", tag = "admin", security(("bearer" = [])),
    params(
        ("user_id" = Option<String>, Query, description = "Only events about this account (a UUID)"),
        ("type" = Option<String>, Query, description = "Only events of this type, e.g. login_failed"),
        ("since" = Option<String>, Query, description = "Only events since this day (2026-11-01) or RFC 3339 time"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "At most this many (default 50)"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor"),
    ),
    responses(
        (status = 200, description = "Audit events, newest first", body = AuditPage),
        (status = 400, description = "A filter that cannot be read", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn audit(
    State(state): State<AppState>,
    _: Administrator,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let bad = |what: &str| ApiError::invalid(what);
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
        limit: i64::from(page_limit(q.limit)?),
    };
    let (events, next_cursor) = state.admin.audit(filter).await?;
    Ok(Json(AuditPage { events: events.into_iter().map(audit_view).collect(), next_cursor }))
}
