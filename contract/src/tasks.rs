//! The protected resource on the wire: tasks, their sync additions (client ids, versions, the
//! change feed), and the title rule both sides enforce.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Task titles are 1..=200 characters after trimming.
pub const MAX_TASK_TITLE_LEN: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub completed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The user's change counter when this task last changed (also its `ETag`); `PATCH` with
    /// `If-Match: <version>` refuses to change a newer one. Absent from older servers' answers.
    #[serde(default)]
    pub version: i64,
}

/// `POST /api/tasks`. With `id` (chosen by the client) a retry is never a duplicate: the same id
/// with the same content answers 200 with the task, with other content 409.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

/// One entry of `GET /api/tasks/changes`: a task as it is now, or its tombstone (`deleted`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskChange {
    pub id: Uuid,
    pub title: String,
    pub completed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted: bool,
    pub version: i64,
}

/// `GET /api/tasks/changes?since=<cursor>&limit=<n>`: what changed after the cursor, in version order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskChangesPage {
    pub changes: Vec<TaskChange>,
    /// Opaque: pass it as `since` for what changes next.
    pub cursor: String,
    /// More changes wait after this page: ask again with `cursor` at once.
    pub has_more: bool,
}

/// 412 from `PATCH /api/tasks/{id}` with a stale `If-Match`: the task as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaleTaskBody {
    pub detail: String,
    pub task: Task,
}

/// `PATCH /api/tasks/{id}`: absent fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

/// Trims a task title and checks its length, returning the title to store or the error detail.
pub fn validate_task_title(raw: &str) -> Result<String, &'static str> {
    let title = raw.trim();
    if title.is_empty() {
        Err("Title must not be empty")
    } else if title.chars().any(char::is_control) {
        // A title is one line of text; NUL in particular cannot be stored by PostgreSQL.
        Err("Title must not contain control characters")
    } else if title.chars().count() > MAX_TASK_TITLE_LEN {
        Err("Title must not exceed 200 characters")
    } else {
        Ok(title.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_titles_are_trimmed_and_bounded() {
        assert_eq!(validate_task_title("  buy milk "), Ok("buy milk".into()));
        assert!(validate_task_title("   ").is_err());
        assert!(validate_task_title("a\u{0}b").is_err());
        assert!(validate_task_title("two\nlines").is_err());
        assert!(validate_task_title(&"é".repeat(200)).is_ok());
        assert!(validate_task_title(&"é".repeat(201)).is_err());
    }
}
