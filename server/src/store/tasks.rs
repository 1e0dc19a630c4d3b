//! The protected resource: each user's own tasks.

use authdesk_contract::Task;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sql::{args, Row};
use super::users::{user, user_columns};
use super::{Store, StoreResult, UserRecord};

/// Changes to a task; `None` leaves the field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub completed: Option<bool>,
}

macro_rules! task_columns {
    ($prefix:literal) => {
        concat!(
            $prefix,
            "id, ",
            $prefix,
            "title, ",
            $prefix,
            "completed, ",
            $prefix,
            "created_at, ",
            $prefix,
            "updated_at"
        )
    };
}

/// A task from the five columns of `row` starting at `at`.
fn task_at(row: &Row, at: usize) -> StoreResult<Task> {
    Ok(Task {
        id: row.uuid(at)?,
        title: row.text(at + 1)?,
        completed: row.bool(at + 2)?,
        created_at: row.time(at + 3)?,
        updated_at: row.time(at + 4)?,
    })
}

fn task(row: &Row) -> StoreResult<Task> {
    task_at(row, 0)
}

impl Store {
    /// The owner's tasks, newest first (insertion order breaks ties).
    pub async fn list_tasks(&self, owner: Uuid) -> StoreResult<Vec<Task>> {
        let sql =
            concat!("SELECT ", task_columns!(""), " FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, seq DESC");
        self.query(sql, args![owner]).await?.iter().map(task).collect()
    }

    /// The user, whether `session` is theirs and live (as [`Store::user_and_session`]), and their
    /// tasks newest first: an authenticated list in one statement, so one round trip.
    pub async fn user_session_and_tasks(
        &self,
        owner: Uuid,
        session: Option<Uuid>,
    ) -> StoreResult<Option<(UserRecord, bool, Vec<Task>)>> {
        let sql = concat!(
            "SELECT ",
            user_columns!("u."),
            ", s.id IS NOT NULL AND s.revoked_at IS NULL, ",
            task_columns!("t."),
            " FROM users u
              LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
              LEFT JOIN tasks t ON t.user_id = u.id
              WHERE u.id = $1
              ORDER BY t.created_at DESC, t.seq DESC"
        );
        let rows = self.query(sql, args![owner, session]).await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let (user, session_live) = (user(first)?, first.bool(6)?);
        // A user without tasks is one row whose task columns are NULL.
        let tasks = rows.iter().filter(|row| !row.is_null(7)).map(|row| task_at(row, 7)).collect::<StoreResult<_>>()?;
        Ok(Some((user, session_live, tasks)))
    }

    pub async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>> {
        let sql = concat!("SELECT ", task_columns!(""), " FROM tasks WHERE id = $1 AND user_id = $2");
        self.query_opt(sql, args![id, owner]).await?.as_ref().map(task).transpose()
    }

    pub async fn insert_task(&self, owner: Uuid, t: &Task) -> StoreResult<()> {
        let sql =
            "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)";
        self.execute(sql, args![t.id, owner, &t.title, t.completed, t.created_at, t.updated_at]).await.map(drop)
    }

    /// Applies `changes` to the owner's task; `None` when the owner has no such task.
    pub async fn update_task(
        &self,
        owner: Uuid,
        id: Uuid,
        changes: TaskChanges,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Task>> {
        let sql = concat!(
            "UPDATE tasks SET title = coalesce($1, title), completed = coalesce($2, completed), updated_at = $3
             WHERE id = $4 AND user_id = $5 RETURNING ",
            task_columns!("")
        );
        let rows = self.execute_returning(sql, args![changes.title, changes.completed, at, id, owner]).await?;
        rows.first().map(task).transpose()
    }

    /// `false` when the owner has no such task.
    pub async fn delete_task(&self, owner: Uuid, id: Uuid) -> StoreResult<bool> {
        Ok(self.execute("DELETE FROM tasks WHERE id = $1 AND user_id = $2", args![id, owner]).await? > 0)
    }
}
