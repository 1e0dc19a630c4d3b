//! The protected resource: each user's own tasks, their tombstones, and the per-user change
//! counter that orders them for sync (see migrations/postgres/0007_task_sync.sql).

use authdesk_contract::{Task, TaskFeedRow, UpdateTaskRequest};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sql::{args, Conn, Row};
use super::users::USER_COLUMNS;
use super::users::{user, user_columns};
use super::{Store, StoreResult, UserRecord};

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
            "updated_at, ",
            $prefix,
            "version"
        )
    };
}

/// How many columns [`task_columns`] names.
const TASK_COLUMNS: usize = 6;
/// The time an import's transaction may take on top of one statement's bound, per task: a
/// statement each, about 0.1 ms on an idle loopback, ten times that on a loaded server.
const IMPORT_TIME_PER_TASK: std::time::Duration = std::time::Duration::from_millis(1);

/// A task from the [`TASK_COLUMNS`] columns of `row` starting at `at`.
fn task_at(row: &Row, at: usize) -> StoreResult<Task> {
    Ok(Task {
        id: row.uuid(at)?,
        title: row.text(at + 1)?,
        completed: row.bool(at + 2)?,
        created_at: row.time(at + 3)?,
        updated_at: row.time(at + 4)?,
        version: row.int(at + 5)?,
    })
}

/// What creating a task with a client-chosen id came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    New(Task),
    /// The id names a live task of this owner already (a retry): here it is, unchanged.
    Existing(Task),
    /// The id is taken: by another user's task, or by a task of this owner since deleted.
    Taken,
}

/// What an update came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Updated {
    Done(Task),
    /// `If-Match` named another version: the task as it is.
    Stale(Task),
    Missing,
}

/// The tasks [`Store::user_session_and_tasks`] read, or that they are at the version the caller knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskList {
    Unchanged,
    /// The live tasks, and the change counter they are at (none for an account that never wrote one
    /// through this server, such as the original design's).
    Read {
        version: Option<i64>,
        tasks: Vec<Task>,
    },
}

/// A row of the feed, and its position (version, seq) for the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub row: TaskFeedRow,
    pub seq: i64,
}

/// Serialises the owner's task writes (on PostgreSQL an advisory lock; SQLite's write transactions
/// are exclusive already) and makes sure their counter exists: the next version is then the
/// counter plus one, and versions are gap-free and in commit order.
async fn lock_versions(tx: &mut Conn<'_>, owner: Uuid) -> StoreResult<()> {
    tx.lock(&format!("task-versions:{owner}")).await?;
    let sql = "INSERT INTO task_versions (user_id, version) VALUES ($1, 0) ON CONFLICT (user_id) DO NOTHING";
    tx.execute(sql, args![owner]).await.map(drop)
}

/// The version a change under [`lock_versions`] took (only once its row is written: no gaps).
async fn take_version(tx: &mut Conn<'_>, owner: Uuid, version: i64) -> StoreResult<()> {
    tx.execute("UPDATE task_versions SET version = $2 WHERE user_id = $1", args![owner, version]).await.map(drop)
}

/// The event every instance hears, when the transaction commits, of the owner's counter at
/// `version` (see [`super::events`]): once per transaction, however many tasks it wrote.
async fn announce(tx: &mut Conn<'_>, owner: Uuid, version: i64) -> StoreResult<()> {
    tx.notify(super::events::CHANNEL, &super::events::TaskEvent { owner, version }.payload()).await
}

fn task(row: &Row) -> StoreResult<Task> {
    task_at(row, 0)
}

/// The newest version among the tasks created.
fn newest(done: &[Created]) -> Option<i64> {
    done.iter().filter_map(|c| if let Created::New(t) = c { Some(t.version) } else { None }).max()
}

/// Inserts `new` with the owner's next version (under [`lock_versions`]) unless its id is taken:
/// then what the id names. With `version`, the task takes that one and the owner's counter is
/// left for the caller to move once (an import: one statement per task, not two).
async fn insert_or_find(tx: &mut Conn<'_>, owner: Uuid, new: &Task, version: Option<i64>) -> StoreResult<Created> {
    let sql = concat!(
        "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, (SELECT version + 1 FROM task_versions WHERE user_id = $2)))
         ON CONFLICT (id) DO NOTHING RETURNING ",
        task_columns!("")
    );
    let params = args![new.id, owner, &new.title, new.completed, new.created_at, new.updated_at, version];
    if let Some(task) = tx.query(sql, params, task).await?.into_iter().next() {
        if version.is_none() {
            take_version(tx, owner, task.version).await?;
        }
        return Ok(Created::New(task));
    }
    let sql = concat!("SELECT ", task_columns!(""), ", user_id = $2 AND deleted_at IS NULL FROM tasks WHERE id = $1");
    let found = tx.query(sql, args![new.id, owner], |row| Ok((task(row)?, row.bool(TASK_COLUMNS)?))).await?;
    Ok(match found.into_iter().next() {
        Some((task, true)) => Created::Existing(task),
        _ => Created::Taken,
    })
}

impl Store {
    /// The owner's tasks in the contract's order (`authdesk_contract::list_order`).
    pub async fn list_tasks(&self, owner: Uuid) -> StoreResult<Vec<Task>> {
        let sql = concat!(
            "SELECT ",
            task_columns!(""),
            " FROM tasks WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC"
        );
        self.query(sql, args![owner], task).await
    }

    /// Up to `limit` of the owner's live tasks in the list's order after the one at `after`
    /// (`created_at`, `id`): one page of an export, read page by page without holding them all.
    pub async fn tasks_page(
        &self,
        owner: Uuid,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: i64,
    ) -> StoreResult<Vec<Task>> {
        match after {
            None => {
                let sql = concat!(
                    "SELECT ",
                    task_columns!(""),
                    " FROM tasks WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2"
                );
                self.query(sql, args![owner, limit], task).await
            }
            Some((at, id)) => {
                let sql = concat!(
                    "SELECT ",
                    task_columns!(""),
                    " FROM tasks WHERE user_id = $1 AND deleted_at IS NULL
                       AND (created_at < $2 OR (created_at = $2 AND id < $3))
                     ORDER BY created_at DESC, id DESC LIMIT $4"
                );
                self.query(sql, args![owner, at, id, limit], task).await
            }
        }
    }

    /// The user, whether `session` is one of theirs and live, and their tasks in the contract's
    /// order — unless their change counter is still at `known` (a version whose list the caller
    /// already has): then [`TaskList::Unchanged`], read without the tasks (the cheaper statement a
    /// poll of an unchanged list needs). The tasks and the counter they are at are read in one
    /// statement, so of one snapshot.
    pub async fn user_session_and_tasks(
        &self,
        owner: Uuid,
        session: Option<Uuid>,
        known: Option<i64>,
    ) -> StoreResult<Option<(UserRecord, bool, TaskList)>> {
        let (live, version, first_task) = (USER_COLUMNS, USER_COLUMNS + 1, USER_COLUMNS + 2);
        let head = move |row: &Row| -> StoreResult<(UserRecord, bool, Option<i64>)> {
            let version = if row.is_null(version)? { None } else { Some(row.int(version)?) };
            Ok((user(row)?, row.bool(live)?, version))
        };
        if let Some(known) = known {
            let sql = concat!(
                "SELECT ",
                user_columns!("u."),
                ", s.id IS NOT NULL AND s.revoked_at IS NULL, v.version
                 FROM users u
                 LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
                 LEFT JOIN task_versions v ON v.user_id = u.id
                 WHERE u.id = $1"
            );
            match self.query_opt(sql, args![owner, session], head).await? {
                None => return Ok(None),
                Some((user, session_live, Some(version))) if version == known => {
                    return Ok(Some((user, session_live, TaskList::Unchanged)))
                }
                // Moved since: read the tasks (and the account again, with them).
                Some(_) => {}
            }
        }
        let sql = concat!(
            "SELECT ",
            user_columns!("u."),
            ", s.id IS NOT NULL AND s.revoked_at IS NULL, v.version, ",
            task_columns!("t."),
            " FROM users u
              LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
              LEFT JOIN task_versions v ON v.user_id = u.id
              LEFT JOIN tasks t ON t.user_id = u.id AND t.deleted_at IS NULL
              WHERE u.id = $1
              ORDER BY t.created_at DESC, t.id DESC"
        );
        // The user's columns are read from the first row only; a user without tasks is one row
        // whose task columns are NULL.
        let mut first = true;
        let rows = self
            .query(sql, args![owner, session], move |row| {
                let head = if std::mem::take(&mut first) { Some(head(row)?) } else { None };
                let task = if row.is_null(first_task)? { None } else { Some(task_at(row, first_task)?) };
                Ok((head, task))
            })
            .await?;
        let mut rows = rows.into_iter();
        let Some((Some((user, session_live, version)), first)) = rows.next() else { return Ok(None) };
        let tasks = first.into_iter().chain(rows.filter_map(|(_, task)| task)).collect();
        Ok(Some((user, session_live, TaskList::Read { version, tasks })))
    }

    /// The owner's live task `id`.
    pub async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>> {
        let sql =
            concat!("SELECT ", task_columns!(""), " FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL");
        self.query_opt(sql, args![id, owner], task).await
    }

    /// Inserts `new` with the owner's next version, unless its id is taken: then what it is.
    pub async fn create_task(&self, owner: Uuid, new: &Task) -> StoreResult<Created> {
        let new = new.clone();
        let created = self
            .transaction(move |tx| {
                Box::pin(async move {
                    lock_versions(tx, owner).await?;
                    let created = insert_or_find(tx, owner, &new, None).await?;
                    if let Created::New(task) = &created {
                        announce(tx, owner, task.version).await?;
                    }
                    Ok(created)
                })
            })
            .await?;
        if let Created::New(task) = &created {
            self.task_written(owner, task.version);
        }
        Ok(created)
    }

    /// Inserts each of `tasks` as [`Store::create_task`] would, all in one transaction (each new
    /// one with the next version, so each enters the feed): what each came to, in order.
    pub async fn import_tasks(&self, owner: Uuid, tasks: Vec<Task>) -> StoreResult<Vec<Created>> {
        // Thousands of statements in one transaction: more time than one statement's bound.
        let longer = IMPORT_TIME_PER_TASK * u32::try_from(tasks.len()).unwrap_or(u32::MAX);
        let done = self
            .transaction_for(longer, move |tx| {
                Box::pin(async move {
                    lock_versions(tx, owner).await?;
                    let sql = "SELECT version FROM task_versions WHERE user_id = $1";
                    let mut version =
                        tx.query(sql, args![owner], |row| row.int(0)).await?.into_iter().next().unwrap_or(0);
                    let mut done = Vec::with_capacity(tasks.len());
                    for task in &tasks {
                        let created = insert_or_find(tx, owner, task, Some(version + 1)).await?;
                        if matches!(created, Created::New(_)) {
                            version += 1;
                        }
                        done.push(created);
                    }
                    if let Some(newest) = newest(&done) {
                        take_version(tx, owner, newest).await?;
                        announce(tx, owner, newest).await?;
                    }
                    Ok(done)
                })
            })
            .await?;
        if let Some(version) = newest(&done) {
            self.task_written(owner, version);
        }
        Ok(done)
    }

    /// Applies `patch` to the owner's live task (the contract's per-field merge, here in SQL),
    /// taking the next version, if its version is `if_match` (when given).
    pub async fn update_task(
        &self,
        owner: Uuid,
        id: Uuid,
        patch: UpdateTaskRequest,
        if_match: Option<i64>,
        at: DateTime<Utc>,
    ) -> StoreResult<Updated> {
        let updated = self
            .transaction(move |tx| {
                Box::pin(async move {
                    lock_versions(tx, owner).await?;
                    let sql = concat!(
                    "UPDATE tasks SET title = coalesce($1, title), completed = coalesce($2, completed), updated_at = $3,
                         version = (SELECT version + 1 FROM task_versions WHERE user_id = $5)
                     WHERE id = $4 AND user_id = $5 AND deleted_at IS NULL AND (version = $6 OR $6 IS NULL)
                     RETURNING ",
                    task_columns!("")
                );
                    let params = args![patch.title, patch.completed, at, id, owner, if_match];
                    if let Some(task) = tx.query(sql, params, task).await?.into_iter().next() {
                        take_version(tx, owner, task.version).await?;
                        announce(tx, owner, task.version).await?;
                        return Ok(Updated::Done(task));
                    }
                    let sql = concat!(
                        "SELECT ",
                        task_columns!(""),
                        " FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL"
                    );
                    Ok(match tx.query(sql, args![id, owner], task).await?.into_iter().next() {
                        Some(current) => Updated::Stale(current),
                        None => Updated::Missing,
                    })
                })
            })
            .await?;
        if let Updated::Done(task) = &updated {
            self.task_written(owner, task.version);
        }
        Ok(updated)
    }

    /// Turns the owner's live task into a tombstone with the next version; `false` when there was
    /// none.
    pub async fn delete_task(&self, owner: Uuid, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        let version = self
            .transaction(move |tx| {
                Box::pin(async move {
                    lock_versions(tx, owner).await?;
                    let sql = "UPDATE tasks SET deleted_at = $3, updated_at = $3,
                               version = (SELECT version + 1 FROM task_versions WHERE user_id = $2)
                           WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL RETURNING version";
                    match tx.query(sql, args![id, owner, at], |row| row.int(0)).await?.into_iter().next() {
                        Some(version) => {
                            take_version(tx, owner, version).await?;
                            announce(tx, owner, version).await?;
                            Ok(Some(version))
                        }
                        None => Ok(None),
                    }
                })
            })
            .await?;
        if let Some(version) = version {
            self.task_written(owner, version);
        }
        Ok(version.is_some())
    }

    /// Up to `limit` of the owner's tasks and tombstones after position (`version`, `seq`), in
    /// version order (rows from before versions existed, all version 0, in insertion order).
    pub async fn task_feed(&self, owner: Uuid, version: i64, seq: i64, limit: i64) -> StoreResult<Vec<FeedEntry>> {
        let sql = concat!(
            "SELECT ",
            task_columns!(""),
            ", deleted_at IS NOT NULL, seq FROM tasks
             WHERE user_id = $1 AND (version > $2 OR (version = $2 AND seq > $3))
             ORDER BY version, seq LIMIT $4"
        );
        self.query(sql, args![owner, version, seq, limit], |row| {
            Ok(FeedEntry { row: TaskFeedRow::of(task(row)?, row.bool(TASK_COLUMNS)?), seq: row.int(TASK_COLUMNS + 1)? })
        })
        .await
    }

    /// Deletes tombstones of tasks deleted before `before`.
    pub async fn prune_tombstones(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.execute("DELETE FROM tasks WHERE deleted_at < $1", args![before]).await
    }
}
