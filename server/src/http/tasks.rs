//! The protected resource: each user's own tasks. Another user's task answers exactly like a
//! missing one, so ids reveal nothing.

use authdesk_contract::ErrorBody;
use authdesk_contract::{validate_task_title, CreateTaskRequest, Task, UpdateTaskRequest};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{ApiJson, BearerToken, CurrentUser};
use crate::app::AppState;
use crate::auth::VerifiedToken;
use crate::store::{self, TaskChanges};

fn not_found() -> ApiError {
    ApiError::NotFound("Task not found".into())
}

/// A path id that is not a UUID cannot name a task: 404, like any other missing task.
fn task_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| not_found())
}

fn title(raw: &str) -> Result<String, ApiError> {
    validate_task_title(raw).map_err(|detail| ApiError::Unprocessable(detail.into()))
}

/// The hot read path: the token's check and the list in one statement.
#[utoipa::path(
    get, path = "/api/tasks", operation_id = "list_tasks", tag = "tasks", security(("bearer" = [])),
    responses(
        (status = 200, description = "The user's tasks, newest first", body = [Task]),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, BearerToken(token): BearerToken) -> Result<Json<Vec<Task>>, ApiError> {
    let store = &state.store;
    let lookup = |t: VerifiedToken| store.user_session_and_tasks(t.user_id, t.session_id);
    let (_, _, tasks) = state.auth.authenticate_reading(&token, lookup).await?;
    Ok(Json(tasks))
}

#[utoipa::path(
    post, path = "/api/tasks", operation_id = "create_task", tag = "tasks", security(("bearer" = [])), request_body = CreateTaskRequest,
    responses(
        (status = 201, description = "Created", body = Task),
        (status = 400, description = "An empty or too long title", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    ApiJson(req): ApiJson<CreateTaskRequest>,
) -> Result<(StatusCode, Json<Task>), ApiError> {
    let now = store::now();
    let task =
        Task { id: Uuid::new_v4(), title: title(&req.title)?, completed: false, created_at: now, updated_at: now };
    state.store.insert_task(user.id, &task).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[utoipa::path(
    get, path = "/api/tasks/{id}", operation_id = "get_task", tag = "tasks", security(("bearer" = [])), params(("id" = String, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task", body = Task),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such task of yours", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Task>, ApiError> {
    let id = task_id(&id)?;
    state.store.task(user.id, id).await?.map(Json).ok_or_else(not_found)
}

#[utoipa::path(
    patch, path = "/api/tasks/{id}", operation_id = "update_task", tag = "tasks", security(("bearer" = [])), params(("id" = String, Path, description = "The task's id")), request_body = UpdateTaskRequest,
    responses(
        (status = 200, description = "Updated", body = Task),
        (status = 400, description = "An empty or too long title", body = ErrorBody),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such task of yours", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateTaskRequest>,
) -> Result<Json<Task>, ApiError> {
    let id = task_id(&id)?;
    let changes = TaskChanges { title: req.title.as_deref().map(title).transpose()?, completed: req.completed };
    if changes.title.is_none() && changes.completed.is_none() {
        // Nothing to change: answer with the task as it is, without touching updated_at.
        return state.store.task(user.id, id).await?.map(Json).ok_or_else(not_found);
    }
    state.store.update_task(user.id, id, changes, store::now()).await?.map(Json).ok_or_else(not_found)
}

#[utoipa::path(
    delete, path = "/api/tasks/{id}", operation_id = "delete_task", tag = "tasks", security(("bearer" = [])), params(("id" = String, Path, description = "The task's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 404, description = "No such task of yours", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = task_id(&id)?;
    if state.store.delete_task(user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}
