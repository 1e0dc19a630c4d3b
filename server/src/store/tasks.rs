//! The protected resource: each user's own tasks.

use authdesk_contract::Task;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sql::{args, Row};
use super::{Store, StoreResult};

/// Changes to a task; `None` leaves the field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub completed: Option<bool>,
}

macro_rules! task_columns {
    () => {
        "id, title, completed, created_at, updated_at"
    };
}

fn task(row: &Row) -> StoreResult<Task> {
    Ok(Task {
        id: row.uuid(0)?,
        title: row.text(1)?,
        completed: row.bool(2)?,
        created_at: row.time(3)?,
        updated_at: row.time(4)?,
    })
}

impl Store {
    /// The owner's tasks, newest first (insertion order breaks ties).
    pub async fn list_tasks(&self, owner: Uuid) -> StoreResult<Vec<Task>> {
        let sql =
            concat!("SELECT ", task_columns!(), " FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, seq DESC");
        self.query(sql, args![owner]).await?.iter().map(task).collect()
    }

    pub async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>> {
        let sql = concat!("SELECT ", task_columns!(), " FROM tasks WHERE id = $1 AND user_id = $2");
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
            task_columns!()
        );
        let rows = self.execute_returning(sql, args![changes.title, changes.completed, at, id, owner]).await?;
        rows.first().map(task).transpose()
    }

    /// `false` when the owner has no such task.
    pub async fn delete_task(&self, owner: Uuid, id: Uuid) -> StoreResult<bool> {
        Ok(self.execute("DELETE FROM tasks WHERE id = $1 AND user_id = $2", args![id, owner]).await? > 0)
    }
}
