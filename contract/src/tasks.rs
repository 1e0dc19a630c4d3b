//! The protected resource on the wire: tasks, their sync additions (client ids, versions, the
//! change feed), and the task rules both sides enforce — the server's service and store, and the
//! desktop's replica and sync engine — written once here so they cannot drift: the title rule, a
//! patch that changes nothing, the per-field merge, a task as a feed row and back, the list order,
//! the feed's page limits, and what an unknown task is called.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Task titles are 1..=200 characters after trimming.
pub const MAX_TASK_TITLE_LEN: usize = 200;
/// What the server answers for a task the caller has not got (404); the replica says the same.
pub const TASK_NOT_FOUND: &str = "Task not found";
/// How many feed rows one page of `GET /api/tasks/changes` holds when the request does not say.
pub const FEED_PAGE_DEFAULT: u32 = 500;
/// The most feed rows one page may hold.
pub const FEED_PAGE_MAX: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub completed: bool,
    #[serde(serialize_with = "crate::timestamp::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::timestamp::serialize")]
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

/// One row of `GET /api/tasks/changes`: a task as it is now, or its tombstone (`deleted`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskFeedRow {
    pub id: Uuid,
    pub title: String,
    pub completed: bool,
    #[serde(serialize_with = "crate::timestamp::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::timestamp::serialize")]
    pub updated_at: DateTime<Utc>,
    pub deleted: bool,
    pub version: i64,
}

/// `GET /api/tasks/changes?since=<cursor>&limit=<n>`: what changed after the cursor, in version order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskChangesPage {
    pub changes: Vec<TaskFeedRow>,
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
    /// Always [`crate::ErrorCode::VersionConflict`].
    #[serde(default)]
    pub code: crate::ErrorCode,
    pub task: Task,
}

/// `PATCH /api/tasks/{id}`, and a patch wherever one is kept (the server's store, the desktop's
/// outbox): the fields it names change, the others are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

impl UpdateTaskRequest {
    /// Names no field: the task answers as it is, untouched (no new version, no new `updated_at`).
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.completed.is_none()
    }

    /// The per-field merge: each field the patch names is set on `task`, the others stay; an
    /// effective patch stamps `at`. (The server's store does the same in its `UPDATE`.)
    pub fn apply_to(&self, task: &mut Task, at: DateTime<Utc>) {
        if self.is_empty() {
            return;
        }
        if let Some(title) = &self.title {
            task.title.clone_from(title);
        }
        if let Some(completed) = self.completed {
            task.completed = completed;
        }
        task.updated_at = at;
    }

    /// Whether `task` already reads as the patch says (an edit that arrived before, its answer
    /// lost).
    pub fn is_applied_to(&self, task: &Task) -> bool {
        self.title.as_ref().is_none_or(|t| *t == task.title) && self.completed.is_none_or(|c| c == task.completed)
    }

    /// The patch with its title checked and trimmed ([`validate_task_title`]).
    pub fn validated(self) -> Result<Self, &'static str> {
        Ok(Self { title: self.title.as_deref().map(validate_task_title).transpose()?, completed: self.completed })
    }
}

impl TaskFeedRow {
    /// `task` as the feed shows it: as it is, or its tombstone.
    pub fn of(task: Task, deleted: bool) -> Self {
        let Task { id, title, completed, created_at, updated_at, version } = task;
        Self { id, title, completed, created_at, updated_at, deleted, version }
    }

    /// The task the row carries; `None` for a tombstone.
    pub fn into_task(self) -> Option<Task> {
        let Self { id, title, completed, created_at, updated_at, deleted, version } = self;
        (!deleted).then_some(Task { id, title, completed, created_at, updated_at, version })
    }
}

/// The order tasks are listed in, by the server and by the desktop's replica alike: newest first,
/// and of tasks created at the same instant the highest id first.
pub fn list_order(a: &Task, b: &Task) -> Ordering {
    b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id))
}

/// The page size a feed request asks for (the default when it does not say), or why it is refused.
pub fn feed_page_limit(requested: Option<u32>) -> Result<u32, String> {
    match requested.unwrap_or(FEED_PAGE_DEFAULT) {
        n @ 1..=FEED_PAGE_MAX => Ok(n),
        _ => Err(format!("limit must be between 1 and {FEED_PAGE_MAX}")),
    }
}

/// The refusals of [`validate_task_title`] (the UI words each in the user's language).
pub const TITLE_EMPTY: &str = "Title must not be empty";
pub const TITLE_CONTROL_CHARACTERS: &str = "Title must not contain control characters";
pub const TITLE_TOO_LONG: &str = "Title must not exceed 200 characters";

/// Trims a task title and checks its length, returning the title to store or the error detail.
pub fn validate_task_title(raw: &str) -> Result<String, &'static str> {
    let title = raw.trim();
    if title.is_empty() {
        Err(TITLE_EMPTY)
    } else if title.chars().any(char::is_control) {
        // A title is one line of text; NUL in particular cannot be stored by PostgreSQL.
        Err(TITLE_CONTROL_CHARACTERS)
    } else if title.chars().count() > MAX_TASK_TITLE_LEN {
        Err(TITLE_TOO_LONG)
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

    fn task(title: &str, completed: bool) -> Task {
        let at = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
        Task { id: Uuid::from_u128(7), title: title.into(), completed, created_at: at, updated_at: at, version: 3 }
    }

    #[test]
    fn a_patch_changes_the_fields_it_names_and_an_empty_one_nothing() {
        let later = DateTime::<Utc>::from_timestamp(1_800_000_060, 0).unwrap();
        let mut t = task("milk", false);
        UpdateTaskRequest::default().apply_to(&mut t, later);
        assert_eq!(t, task("milk", false), "an empty patch touches nothing, not even updated_at");
        let done = UpdateTaskRequest { completed: Some(true), ..Default::default() };
        assert!(!done.is_applied_to(&t));
        done.apply_to(&mut t, later);
        assert_eq!((t.title.as_str(), t.completed, t.updated_at), ("milk", true, later));
        assert!(done.is_applied_to(&t));
        let renamed = UpdateTaskRequest { title: Some(" bread ".into()), completed: None }.validated().unwrap();
        assert_eq!(renamed.title.as_deref(), Some("bread"));
        assert!(UpdateTaskRequest { title: Some(" ".into()), completed: None }.validated().is_err());
    }

    #[test]
    fn a_feed_row_carries_a_task_or_its_tombstone() {
        let row = TaskFeedRow::of(task("milk", true), false);
        assert_eq!(row.clone().into_task(), Some(task("milk", true)));
        assert_eq!(TaskFeedRow::of(task("milk", true), true).into_task(), None);
    }

    #[test]
    fn ties_are_ordered_by_id_highest_first() {
        let (mut a, mut b) = (task("a", false), task("b", false));
        a.id = Uuid::from_u128(1);
        b.id = Uuid::from_u128(2);
        let mut list = vec![a.clone(), b.clone()];
        list.sort_by(list_order);
        assert_eq!(list, [b.clone(), a.clone()]);
        a.created_at += chrono::TimeDelta::seconds(1);
        let mut list = vec![b.clone(), a.clone()];
        list.sort_by(list_order);
        assert_eq!(list, [a, b], "newest first");
    }

    #[test]
    fn feed_pages_hold_1_to_1000_rows() {
        assert_eq!(feed_page_limit(None), Ok(FEED_PAGE_DEFAULT));
        assert_eq!(feed_page_limit(Some(1000)), Ok(1000));
        assert!(feed_page_limit(Some(0)).is_err());
        assert_eq!(feed_page_limit(Some(1001)), Err("limit must be between 1 and 1000".into()));
    }
}
