//! The tasks service: each user's own tasks, with what offline clients need to sync them —
//! client-chosen ids (a retry is never a duplicate), tombstones, a change feed in version order
//! and conditional updates. The conflict rule: for each field, the change that reaches the server
//! last wins; a delete wins over an edit; no client clock is ever trusted (the server stamps every
//! time and every version).

use std::time::Duration;

use authdesk_contract::{
    feed_page_limit, validate_task_title, CreateTaskRequest, ImportRequest, ImportResult, Task, TaskChangesPage,
    UpdateTaskRequest, MAX_IMPORT_TASKS, TASK_NOT_FOUND,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::store::{self, Created, Store, StoreError, Updated};

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("{}", TASK_NOT_FOUND)]
    NotFound,
    /// The id is another task's (this user's, other content or deleted; or another user's: the
    /// same answer, so nothing is revealed).
    #[error("A task with this id already exists")]
    IdTaken,
    /// `If-Match` named a version the task no longer has.
    #[error("The task has changed since that version")]
    Stale(Box<Task>),
    #[error("Sync cursor expired; reload all tasks")]
    CursorExpired,
    #[error("Invalid sync cursor")]
    InvalidCursor,
    /// A feed page size out of bounds; the detail says which.
    #[error("{0}")]
    InvalidLimit(String),
    #[error("{0}")]
    InvalidTitle(&'static str),
    /// One task of an import is invalid: the detail names which, and nothing was written.
    #[error("{0}")]
    InvalidImport(String),
    /// More tasks in one import than [`MAX_IMPORT_TASKS`].
    #[error("An import takes at most 10,000 tasks; split it into several")]
    TooManyToImport,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A position in a user's feed, and when the pass that reached it started (tombstones of
/// everything deleted since are kept at least the tombstone window from then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    version: i64,
    seq: i64,
    since: i64,
}

impl Cursor {
    fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("v1.{}.{}.{}", self.version, self.seq, self.since))
    }

    fn decode(raw: &str) -> Result<Self, TaskError> {
        let text = URL_SAFE_NO_PAD.decode(raw.trim()).ok().and_then(|b| String::from_utf8(b).ok());
        let text = text.ok_or(TaskError::InvalidCursor)?;
        let fields: Vec<&str> = text.split('.').collect();
        let ["v1", version, seq, since] = fields.as_slice() else { return Err(TaskError::InvalidCursor) };
        let number = |s: &str| s.parse::<i64>().map_err(|_| TaskError::InvalidCursor);
        Ok(Self { version: number(version)?, seq: number(seq)?, since: number(since)? })
    }
}

/// The tasks service over a store; cheap to clone.
#[derive(Clone)]
pub struct Tasks {
    store: Store,
    /// How long a deleted task's tombstone is kept (and so how old a cursor may be).
    tombstone_retention: Duration,
}

impl Tasks {
    pub fn new(store: Store, tombstone_retention: Duration) -> Self {
        Self { store, tombstone_retention }
    }

    fn title(raw: &str) -> Result<String, TaskError> {
        validate_task_title(raw).map_err(TaskError::InvalidTitle)
    }

    /// Creates a task; with a client-chosen id, a repeat of the same content gives the task back
    /// (`false`: nothing was created).
    pub async fn create(&self, owner: Uuid, req: CreateTaskRequest) -> Result<(Task, bool), TaskError> {
        let now = store::now();
        let task = Task {
            id: req.id.unwrap_or_else(Uuid::new_v4),
            title: Self::title(&req.title)?,
            completed: req.completed.unwrap_or(false),
            created_at: now,
            updated_at: now,
            version: 0,
        };
        match self.store.create_task(owner, &task).await? {
            Created::New(task) => Ok((task, true)),
            Created::Existing(existing) if existing.title == task.title && existing.completed == task.completed => {
                Ok((existing, false))
            }
            Created::Existing(_) | Created::Taken => Err(TaskError::IdTaken),
        }
    }

    /// Imports tasks: the whole request is checked first (one invalid task: nothing written, the
    /// detail names its index), then each is created keeping its `created_at` (never later than
    /// now), found unchanged (the same id and content: a retry), or left alone as a conflict.
    pub async fn import(&self, owner: Uuid, req: ImportRequest) -> Result<ImportResult, TaskError> {
        if req.tasks.len() > MAX_IMPORT_TASKS {
            return Err(TaskError::TooManyToImport);
        }
        let now = store::now();
        let tasks = req
            .tasks
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let title = Self::title(&t.title).map_err(|e| TaskError::InvalidImport(format!("tasks[{i}]: {e}")))?;
                Ok(Task {
                    id: t.id.unwrap_or_else(Uuid::new_v4),
                    title,
                    completed: t.completed.unwrap_or(false),
                    created_at: t.created_at.map_or(now, |at| at.min(now)),
                    updated_at: now,
                    version: 0,
                })
            })
            .collect::<Result<Vec<Task>, TaskError>>()?;
        let done = self.store.import_tasks(owner, tasks.clone()).await?;
        let mut result = ImportResult::default();
        for (asked, outcome) in tasks.iter().zip(done) {
            match outcome {
                Created::New(_) => result.created += 1,
                Created::Existing(t) if t.title == asked.title && t.completed == asked.completed => {
                    result.unchanged += 1
                }
                Created::Existing(_) | Created::Taken => result.conflicts.push(asked.id),
            }
        }
        Ok(result)
    }

    pub async fn get(&self, owner: Uuid, id: Uuid) -> Result<Task, TaskError> {
        self.store.task(owner, id).await?.ok_or(TaskError::NotFound)
    }

    /// Changes the fields `req` names (none: the task as it is), if its version is `if_match`.
    pub async fn update(
        &self,
        owner: Uuid,
        id: Uuid,
        req: UpdateTaskRequest,
        if_match: Option<i64>,
    ) -> Result<Task, TaskError> {
        let patch = req.validated().map_err(TaskError::InvalidTitle)?;
        if patch.is_empty() {
            // Nothing to change: the task as it is, without touching updated_at or its version.
            let task = self.get(owner, id).await?;
            return match if_match {
                Some(version) if version != task.version => Err(TaskError::Stale(Box::new(task))),
                _ => Ok(task),
            };
        }
        match self.store.update_task(owner, id, patch, if_match, store::now()).await? {
            Updated::Done(task) => Ok(task),
            Updated::Stale(task) => Err(TaskError::Stale(Box::new(task))),
            Updated::Missing => Err(TaskError::NotFound),
        }
    }

    /// Deletes the task, keeping its tombstone for the feed.
    pub async fn delete(&self, owner: Uuid, id: Uuid) -> Result<(), TaskError> {
        if self.store.delete_task(owner, id, store::now()).await? {
            Ok(())
        } else {
            Err(TaskError::NotFound)
        }
    }

    /// Up to `limit` feed rows (the contract's default without one) after `since` (from the
    /// beginning without one), tombstones included, in version order.
    pub async fn changes(
        &self,
        owner: Uuid,
        since: Option<&str>,
        limit: Option<u32>,
    ) -> Result<TaskChangesPage, TaskError> {
        let limit = feed_page_limit(limit).map_err(TaskError::InvalidLimit)?;
        let now = store::now();
        let from = match since.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => Cursor::decode(raw)?,
            None => Cursor { version: -1, seq: 0, since: now.timestamp() },
        };
        let window = TimeDelta::from_std(self.tombstone_retention).unwrap_or(TimeDelta::MAX);
        let started = DateTime::<Utc>::from_timestamp(from.since, 0).ok_or(TaskError::InvalidCursor)?;
        // (A forged cursor from the far future never expires: it only misleads its own client.)
        if started.checked_add_signed(window).is_some_and(|end| end <= now) {
            return Err(TaskError::CursorExpired);
        }
        let mut entries = self.store.task_feed(owner, from.version, from.seq, i64::from(limit) + 1).await?;
        let has_more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let next = match entries.last() {
            Some(last) => Cursor { version: last.row.version, seq: last.seq, since: from.since },
            None => from,
        };
        // A caught-up client has seen every deletion until now.
        let next = if has_more { next } else { Cursor { since: now.timestamp(), ..next } };
        Ok(TaskChangesPage { changes: entries.into_iter().map(|e| e.row).collect(), cursor: next.encode(), has_more })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let cursor = Cursor { version: 42, seq: 7, since: 1_790_000_000 };
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        for junk in ["", "!!", "djE", &URL_SAFE_NO_PAD.encode("v2.1.2.3"), &URL_SAFE_NO_PAD.encode("v1.1.x.3")] {
            assert!(matches!(Cursor::decode(junk), Err(TaskError::InvalidCursor)), "{junk}");
        }
    }
}
