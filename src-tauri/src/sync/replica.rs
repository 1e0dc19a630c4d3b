//! This computer's copy of one account's tasks on one remote server: a SQLite file in the data
//! folder, readable only by this user. It keeps the server's tasks as last heard (`tasks`), the
//! changes made here that the server has not confirmed (`outbox`, in the order they were made),
//! the change feed's cursor and the account's profile. The screens see the server's copy with the
//! waiting changes applied on top, so a change shows at once and a pulled one never hides it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use authdesk_contract::desktop::{CommandError, ErrorKind, WaitingChanges};
use authdesk_contract::{
    list_order, validate_task_title, ErrorCode, MeResponse, Task, TaskFeedRow, UpdateTaskRequest, TASK_NOT_FOUND,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::files::ensure_private_database;
use crate::Result;

mod import;
mod sql;

use sql::{
    apply_change, apply_staged, clear_staged, connect, drop_entry, enqueue, forget_all_tasks, forget_task, from_json,
    keep_server_copy, oldest_entry, parse_id, queued_creates, read_meta, server_version, stage_page, to_json, view,
    waiting, write_meta,
};

/// A change made on this computer, as the outbox keeps it (JSON) until the server confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxEntry {
    Create {
        title: String,
        completed: bool,
        at: DateTime<Utc>,
        /// Brought by an import: sent through the server's import, which keeps `at` as the
        /// task's creation time (absent from outboxes written before imports).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        imported: bool,
    },
    Update {
        #[serde(flatten)]
        patch: UpdateTaskRequest,
        at: DateTime<Utc>,
    },
    Delete,
}

impl OutboxEntry {
    fn kind(&self) -> &'static str {
        match self {
            OutboxEntry::Create { .. } => "create",
            OutboxEntry::Update { .. } => "update",
            OutboxEntry::Delete => "delete",
        }
    }
}

/// One waiting outbox entry: `seq` orders the outbox.
#[derive(Debug, Clone)]
pub struct Queued {
    pub seq: i64,
    pub task_id: Uuid,
    pub entry: OutboxEntry,
}

/// Which account on which server a replica belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub server: String,
    pub user_id: Uuid,
    pub email: String,
}

pub struct Replica {
    path: PathBuf,
    owner: Owner,
    /// `None` once closed for removal: a late user gets an error, never a recreated file.
    db: Mutex<Option<Connection>>,
    /// One sync pass at a time (the loop's, or a sign-out's last push).
    pass: tokio::sync::Mutex<()>,
}

fn failed(e: impl std::fmt::Display) -> CommandError {
    CommandError::local(format!("The copy of your tasks on this computer cannot be used: {e}"))
}

/// `<dir>/<hash of server and account>.sqlite3`: one file per server and account, named without
/// revealing either.
pub fn file_for(dir: &Path, server: &str, user_id: Uuid) -> PathBuf {
    let digest = Sha256::digest(format!("{server}\n{user_id}"));
    let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{name}.sqlite3"))
}

impl Replica {
    /// Opens (creating, 0600) the replica of `owner` in `dir`. Blocking.
    pub fn open(dir: &Path, owner: Owner) -> Result<Self> {
        let path = file_for(dir, &owner.server, owner.user_id);
        crate::files::ensure_private_dir(dir)?;
        ensure_private_database(&path)?;
        let db = connect(&path)?;
        write_meta(&db, "server", &owner.server).map_err(failed)?;
        write_meta(&db, "user_id", &owner.user_id.to_string()).map_err(failed)?;
        write_meta(&db, "email", &owner.email).map_err(failed)?;
        Ok(Self { path, owner, db: Mutex::new(Some(db)), pass: tokio::sync::Mutex::new(()) })
    }

    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    /// The turn to work on the replica as a whole (a sync pass, its removal): waits for the one
    /// holding it, and holds the others off.
    pub async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.pass.lock().await
    }

    /// Runs `f` on the database off the async workers (SQLite blocks).
    async fn with<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T> {
        self.try_with(move |db| f(db).map_err(failed)).await
    }

    /// Like [`Replica::with`], for work that can also refuse (a local change to a missing task).
    async fn try_with<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || match this.db.lock().unwrap_or_else(PoisonError::into_inner).as_mut() {
            Some(db) => f(db),
            None => Err(failed("it was removed")),
        })
        .await
        .map_err(failed)?
    }

    /// The tasks as the screens show them, in the server's order ([`list_order`]). Tasks created
    /// here and not yet confirmed come first, the latest first: the server stamps them when they
    /// arrive, after everything it has now, in the order they are sent.
    pub async fn tasks(self: &Arc<Self>) -> Result<Vec<Task>> {
        self.with(|db| {
            let pending = queued_creates(db)?;
            let mut view = view(db, None)?.into_values().collect::<Vec<_>>();
            let queued = |t: &Task| pending.get(&t.id.to_string()).copied();
            view.sort_by(|a, b| queued(b).cmp(&queued(a)).then_with(|| list_order(a, b)));
            Ok(view)
        })
        .await
    }

    /// Adds a task here and queues its creation, in one transaction.
    pub async fn create(self: &Arc<Self>, title: &str) -> Result<Task> {
        let title = validate_task_title(title).map_err(not_valid)?;
        let id = Uuid::new_v4();
        let at = Utc::now();
        self.try_with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
            enqueue(&tx, id, &OutboxEntry::Create { title, completed: false, at, imported: false })?;
            let task =
                view(&tx, Some(id)).map_err(failed)?.remove(&id).ok_or_else(|| failed("the new task vanished"))?;
            tx.commit().map_err(failed)?;
            Ok(task)
        })
        .await
    }

    /// Changes a task here and queues the change, in one transaction.
    pub async fn update(self: &Arc<Self>, id: Uuid, patch: UpdateTaskRequest) -> Result<Task> {
        let patch = patch.validated().map_err(not_valid)?;
        self.try_with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
            let Some(task) = view(&tx, Some(id)).map_err(failed)?.remove(&id) else { return Err(task_not_found()) };
            if patch.is_empty() {
                return Ok(task);
            }
            enqueue(&tx, id, &OutboxEntry::Update { patch, at: Utc::now() })?;
            let task = view(&tx, Some(id)).map_err(failed)?.remove(&id).ok_or_else(task_not_found)?;
            tx.commit().map_err(failed)?;
            Ok(task)
        })
        .await
    }

    /// Removes a task here and queues its deletion, in one transaction.
    pub async fn delete(self: &Arc<Self>, id: Uuid) -> Result<()> {
        self.try_with(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
            if !view(&tx, Some(id)).map_err(failed)?.contains_key(&id) {
                return Err(task_not_found());
            }
            enqueue(&tx, id, &OutboxEntry::Delete)?;
            tx.commit().map_err(failed)
        })
        .await
    }

    /// How many changes wait for the server.
    pub async fn waiting(self: &Arc<Self>) -> Result<u32> {
        self.with(|db| waiting(db)).await
    }

    /// The oldest waiting change.
    pub async fn next_change(self: &Arc<Self>) -> Result<Option<Queued>> {
        self.with(|db| {
            oldest_entry(db)?
                .map(|(seq, id, entry)| Ok(Queued { seq, task_id: parse_id(&id)?, entry: from_json(&entry)? }))
                .transpose()
        })
        .await
    }

    /// The server has the change `seq`: it is dropped from the outbox, and the task as the server
    /// answered (when it did) becomes the server's copy, in one transaction.
    pub async fn confirm(self: &Arc<Self>, seq: i64, answer: Option<Task>) -> Result<()> {
        self.with(move |db| {
            let tx = db.transaction()?;
            if let Some(task) = &answer {
                keep_server_copy(&tx, task)?;
            }
            drop_entry(&tx, seq)?;
            tx.commit()
        })
        .await
    }

    /// The change `seq` found its task deleted on the server (a delete wins over an edit): the
    /// server's copy goes, and so does the change.
    pub async fn confirm_deleted(self: &Arc<Self>, seq: i64, id: Uuid) -> Result<()> {
        self.with(move |db| {
            let tx = db.transaction()?;
            forget_task(&tx, id)?;
            drop_entry(&tx, seq)?;
            tx.commit()
        })
        .await
    }

    /// Keeps `task` as the server's copy (e.g. the current one a 412 carries).
    pub async fn keep_server_copy(self: &Arc<Self>, task: Task) -> Result<()> {
        self.with(move |db| keep_server_copy(db, &task)).await
    }

    /// The version of the server's copy of `id`, for `If-Match`.
    pub async fn server_version(self: &Arc<Self>, id: Uuid) -> Result<Option<i64>> {
        self.with(move |db| server_version(db, id)).await
    }

    pub async fn cursor(self: &Arc<Self>) -> Result<Option<String>> {
        self.with(|db| read_meta(db, "cursor")).await
    }

    /// Applies a page of the change feed to the server's copy and moves the cursor, in one
    /// transaction; answers whether any task changed.
    pub async fn apply_changes(self: &Arc<Self>, changes: Vec<TaskFeedRow>, cursor: String) -> Result<bool> {
        self.with(move |db| {
            let tx = db.transaction()?;
            let changed = !changes.is_empty();
            for change in &changes {
                apply_change(&tx, change)?;
            }
            write_meta(&tx, "cursor", &cursor)?;
            tx.commit()?;
            Ok(changed)
        })
        .await
    }

    /// Starts reloading everything the feed holds (after its cursor expired): the pages are kept
    /// aside as they come ([`Replica::stage_reload_page`]), so memory holds one page, and the
    /// server's copy changes only when the last has come ([`Replica::finish_reload`]).
    pub async fn begin_reload(self: &Arc<Self>) -> Result<()> {
        self.with(|db| clear_staged(db)).await
    }

    pub async fn stage_reload_page(self: &Arc<Self>, changes: Vec<TaskFeedRow>) -> Result<()> {
        self.with(move |db| stage_page(db, &changes)).await
    }

    /// In one transaction: the server's copy becomes what the staged pages hold, at `cursor`; the
    /// outbox stays.
    pub async fn finish_reload(self: &Arc<Self>, cursor: String) -> Result<()> {
        self.with(move |db| {
            let tx = db.transaction()?;
            forget_all_tasks(&tx)?;
            apply_staged(&tx)?;
            clear_staged(&tx)?;
            write_meta(&tx, "cursor", &cursor)?;
            tx.commit()
        })
        .await
    }

    /// The account's profile as last heard, for launching offline.
    pub async fn me(self: &Arc<Self>) -> Result<Option<MeResponse>> {
        self.with(|db| read_meta(db, "me")?.map(|json| from_json(&json)).transpose()).await
    }

    pub async fn set_me(self: &Arc<Self>, me: MeResponse) -> Result<()> {
        self.with(move |db| write_meta(db, "me", &to_json(&me)?)).await
    }

    /// Closes the database, then deletes its file (and SQLite's companions): closing first, so
    /// that a late close can never delete the journal of a replica opened at the same path.
    pub fn remove_files(&self) -> Result<()> {
        if let Some(db) = self.db.lock().unwrap_or_else(PoisonError::into_inner).take() {
            // Emptied first, its freed pages zeroed: if another handle keeps the file open,
            // Windows refuses to delete it, and what stays then holds nothing of the account.
            db.execute_batch(sql::WIPE).map_err(failed)?;
            db.close().map_err(|(_, e)| failed(e))?;
        }
        remove_database(&self.path)
    }
}

/// The accounts of `server` whose replicas in `dir` hold waiting changes. Blocking.
pub fn waiting_in(dir: &Path, server: &str) -> Result<Vec<WaitingChanges>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "sqlite3") {
            continue;
        }
        let db = connect(&path)?;
        let (Some(owner_server), Some(user_id), Some(email)) = (
            read_meta(&db, "server").map_err(failed)?,
            read_meta(&db, "user_id").map_err(failed)?,
            read_meta(&db, "email").map_err(failed)?,
        ) else {
            continue;
        };
        let waiting = waiting(&db).map_err(failed)?;
        if owner_server == server && waiting > 0 {
            found.push(WaitingChanges { user_id: parse_id(&user_id).map_err(failed)?, email, waiting });
        }
    }
    found.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(found)
}

/// Deletes the replica of `user_id` on `server` in `dir`, if there is one. Blocking.
pub fn discard(dir: &Path, server: &str, user_id: Uuid) -> Result<()> {
    remove_database(&file_for(dir, server, user_id))
}

fn remove_database(path: &Path) -> Result<()> {
    Ok(crate::files::remove_database(path)?)
}

fn not_valid(detail: &str) -> CommandError {
    CommandError { status: Some(422), code: Some(ErrorCode::Validation), ..CommandError::rejected(detail) }
}

fn task_not_found() -> CommandError {
    CommandError {
        status: Some(404),
        code: Some(ErrorCode::NotFound),
        ..CommandError::new(ErrorKind::Rejected, TASK_NOT_FOUND)
    }
}
