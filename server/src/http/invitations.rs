//! Invitations over HTTP (`/api/admin/invitations`), for administrators only.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{Invitation, InvitationList, InvitationRequest};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::admin::Administrator;
use super::error::ApiError;
use super::extract::ApiJson;
use super::state::AppState;
use crate::auth::AuthError;
use crate::store::{InvitationRecord, Role};

fn view(record: InvitationRecord, code: Option<String>) -> Invitation {
    Invitation {
        id: record.id,
        email: record.email,
        role: record.role.as_str().into(),
        code,
        created_at: record.created_at,
        expires_at: record.expires_at,
    }
}

/// Invites an address; the code is in this answer only (and in the mail, when mail is configured).
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/admin/invitations", operation_id = "admin_invite", tag = "admin", security(("bearer" = [])), request_body = InvitationRequest,
    responses(
        (status = 201, description = "Invited; the code is shown this once", body = Invitation),
        (status = 400, description = "Not an email address, or a role other than user or admin", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 409, description = "The address already has an account", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn create(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    headers: HeaderMap,
    ApiJson(req): ApiJson<InvitationRequest>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let role = match req.role.as_deref().unwrap_or("user") {
        "user" => Role::User,
        "admin" => Role::Admin,
        _ => return Err(ApiError::invalid("role must be user or admin")),
    };
    // How the invitee reaches this server: the configured public URL, else the host the
    // administrator reached it at.
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let server = state.public_url.as_deref().or(host);
    let ttl = state.auth.registration.invitation_ttl;
    let (invitation, code) = state.admin.invite(&req.email, role, ttl, server, &by).await?;
    Ok((StatusCode::CREATED, Json(view(invitation, Some(code)))))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/admin/invitations", operation_id = "admin_list_invitations", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, description = "The pending invitations, newest first (no codes)", body = InvitationList),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn list(State(state): State<AppState>, _: Administrator) -> Result<Json<InvitationList>, ApiError> {
    let invitations = state.admin.invitations().await?.into_iter().map(|i| view(i, None)).collect();
    Ok(Json(InvitationList { invitations }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete, path = "/api/admin/invitations/{id}", operation_id = "admin_revoke_invitation", tag = "admin", security(("bearer" = [])), params(("id" = String, Path, description = "The invitation's id")),
    responses(
        (status = 204, description = "Revoked: its code no longer works"),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 403, description = "Administrator access required", body = ErrorBody),
        (status = 404, description = "Invitation not found", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn revoke(
    State(state): State<AppState>,
    Administrator(by): Administrator,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::from(AuthError::InvitationNotFound))?;
    state.admin.revoke_invitation(id, &by).await?;
    Ok(StatusCode::NO_CONTENT)
}
