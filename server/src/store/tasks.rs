//! The protected resource: each user's own tasks.

use authdesk_contract::Task;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sql::{args, Row};
use super::users::USER_COLUMNS;
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
        self.query(sql, args![owner], task).await
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
        // The user's columns are read from the first row only; a user without tasks is one row
        // whose task columns are NULL.
        let mut first = true;
        let rows = self
            .query(sql, args![owner, session], move |row| {
                let head = if std::mem::take(&mut first) { Some((user(row)?, row.bool(USER_COLUMNS)?)) } else { None };
                let task = if row.is_null(USER_COLUMNS + 1)? { None } else { Some(task_at(row, USER_COLUMNS + 1)?) };
                Ok((head, task))
            })
            .await?;
        let mut rows = rows.into_iter();
        let Some((Some((user, session_live)), first_task)) = rows.next() else { return Ok(None) };
        let tasks = first_task.into_iter().chain(rows.filter_map(|(_, task)| task)).collect();
        Ok(Some((user, session_live, tasks)))
    }

    pub async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>> {
        let sql = concat!("SELECT ", task_columns!(""), " FROM tasks WHERE id = $1 AND user_id = $2");
        self.query_opt(sql, args![id, owner], task).await
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
        Ok(self
            .execute_returning(sql, args![changes.title, changes.completed, at, id, owner], task)
            .await?
            .into_iter()
            .next())
    }

    /// `false` when the owner has no such task.
    pub async fn delete_task(&self, owner: Uuid, id: Uuid) -> StoreResult<bool> {
        Ok(self.execute("DELETE FROM tasks WHERE id = $1 AND user_id = $2", args![id, owner]).await? > 0)
    }
}
