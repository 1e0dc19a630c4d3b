//! `GET /api/account/export`: the signed-in account's data as a file to keep.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt as _;

use super::error::ApiError;
use super::extract::CurrentUser;
use super::state::AppState;
use crate::{export, store};

/// The account, its live tasks, sessions and own audit events, as an attachment; never a secret.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/account/export", operation_id = "export_account", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "An authdesk-export file (Content-Disposition: attachment), streamed"),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 429, description = "Too many exports of this account", body = ErrorBody),
        (status = 503, description = "The database is unavailable", body = ErrorBody),
    )
))]
pub async fn export(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
) -> Result<Response, ApiError> {
    export::admit(&state.store, user.id, state.export_limit).await?;
    let at = store::now();
    let head = export::head(&state.store, &user, at).await?;
    let body = futures_util::stream::once(async move { Ok(Bytes::from(head)) })
        .chain(export::tasks(state.store.clone(), user.id));
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", export::file_name(at)))
        .body(Body::from_stream(body))
        .map_err(|e| ApiError::Internal(e.to_string()))
}
