//! The protected resource: each user's own tasks. Another user's task answers exactly like a
//! missing one, so ids reveal nothing. The sync additions (client ids, `version`/`ETag`,
//! `If-Match`, the change feed) are in the tasks service; here they are only read and written.

use authdesk_contract::{
    CreateTaskRequest, ImportRequest, ImportResult, TaskChangesPage, UpdateTaskRequest, IMPORT_BODY_BYTES,
};
// The bodies named only in the OpenAPI annotations.
#[cfg(feature = "openapi")]
use authdesk_contract::{ErrorBody, StaleTaskBody, Task};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

use super::error::{etag, ApiError};
use super::extract::{ApiJson, BearerToken, CurrentUser};
use super::state::AppState;
use crate::auth::VerifiedToken;
use crate::store::TaskList;
use crate::tasks::TaskError;

/// A path id that is not a UUID cannot name a task: 404, like any other missing task.
fn task_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| TaskError::NotFound.into())
}

/// `If-Match: "<version>"` (or the bare number); `*` or none: no condition.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(raw) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let raw = raw.to_str().unwrap_or_default().trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::invalid("If-Match must be a task version, e.g. \"3\""))
}

/// The hot read path: the token's check and the list in one statement; the body written again only
/// when the list changed since it was last sent (`task_lists`).
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/tasks", operation_id = "list_tasks", tag = "tasks", security(("bearer" = [])),
    responses(
        (status = 200, description = "The user's tasks, newest first", body = [Task]),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn list(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
) -> Result<impl IntoResponse, ApiError> {
    let (store, lists) = (&state.store, &state.task_lists);
    let mut kept = None;
    let lookup = |t: VerifiedToken| {
        kept = lists.get(t.user_id);
        store.user_session_and_tasks(t.user_id, t.session_id, kept.as_ref().map(|(version, _)| *version))
    };
    let (user, _, list) = state.auth.authenticate_reading(&token, lookup).await?;
    let body = match (list, kept) {
        (TaskList::Unchanged, Some((_, body))) => body,
        // The store answers `Unchanged` only for the version it was given.
        (TaskList::Unchanged, None) => return Err(ApiError::Internal("a list unchanged from no version".into())),
        (TaskList::Read { version, tasks }, _) => {
            let body = Bytes::from(serde_json::to_vec(&tasks).map_err(|e| ApiError::Internal(e.to_string()))?);
            if let Some(version) = version {
                lists.put(user.id, version, body.clone());
            }
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/tasks", operation_id = "create_task", tag = "tasks", security(("bearer" = [])), request_body = CreateTaskRequest,
    responses(
        (status = 201, description = "Created", body = Task, headers(("ETag" = String, description = "The task's version"))),
        (status = 200, description = "A retry: this id already names this task, with this content", body = Task),
        (status = 400, description = "An empty or too long title", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 409, description = "The id names another task", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    ApiJson(req): ApiJson<CreateTaskRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let (task, created) = state.tasks.create(user.id, req).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, etag(task.version), Json(task)))
}

/// Many tasks at once (an export of this app's, another app's list): all checked first, then each
/// created, found unchanged, or left alone as a conflict.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/tasks/import", operation_id = "import_tasks", tag = "tasks", security(("bearer" = [])), request_body = ImportRequest,
    responses(
        (status = 200, description = "What the import did", body = ImportResult),
        (status = 400, description = "A task that is not valid (the detail names its index): nothing was written", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 413, description = "Body over 4 MiB, or more than 10,000 tasks", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn import(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    ApiJson(req): ApiJson<ImportRequest, IMPORT_BODY_BYTES>,
) -> Result<Json<ImportResult>, ApiError> {
    Ok(Json(state.tasks.import(user.id, req).await?))
}

#[derive(Deserialize)]
pub struct ChangesQuery {
    since: Option<String>,
    limit: Option<u32>,
}

/// What changed after a cursor, tombstones included, in version order: how an offline client
/// catches up.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/tasks/changes", operation_id = "task_changes", tag = "tasks", security(("bearer" = [])),
    params(
        ("since" = Option<String>, Query, description = "The previous page's cursor; none: from the beginning"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "At most this many (default 500)"),
    ),
    responses(
        (status = 200, description = "Changes in version order", body = TaskChangesPage),
        (status = 400, description = "A cursor or limit that cannot be read", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 410, description = "Sync cursor expired; reload all tasks", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn changes(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Query(q): Query<ChangesQuery>,
) -> Result<Json<TaskChangesPage>, ApiError> {
    Ok(Json(state.tasks.changes(user.id, q.since.as_deref(), q.limit).await?))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/tasks/{id}", operation_id = "get_task", tag = "tasks", security(("bearer" = [])), params(("id" = String, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task", body = Task, headers(("ETag" = String, description = "The task's version"))),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such task of yours", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let task = state.tasks.get(user.id, task_id(&id)?).await?;
    Ok((etag(task.version), Json(task)))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    patch, path = "/api/tasks/{id}", operation_id = "update_task", tag = "tasks", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The task's id"),
        ("If-Match" = Option<String>, Header, description = "Change it only if its version is still this"),
    ),
    request_body = UpdateTaskRequest,
    responses(
        (status = 200, description = "Updated", body = Task, headers(("ETag" = String, description = "The task's version"))),
        (status = 400, description = "An empty or too long title, or an unreadable If-Match", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such task of yours", body = ErrorBody),
        (status = 412, description = "The task changed since that version: here it is now", body = StaleTaskBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<UpdateTaskRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let task = state.tasks.update(user.id, task_id(&id)?, req, if_match(&headers)?).await?;
    Ok((etag(task.version), Json(task)))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete, path = "/api/tasks/{id}", operation_id = "delete_task", tag = "tasks", security(("bearer" = [])), params(("id" = String, Path, description = "The task's id")),
    responses(
        (status = 204, description = "Deleted (kept as a tombstone for the change feed)"),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such task of yours", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.tasks.delete(user.id, task_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
