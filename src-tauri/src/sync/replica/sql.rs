//! The replica's SQL, each statement once: the schema, the server's copy of the tasks, the
//! outbox, the metadata, and the view the screens see (the server's copy with the outbox applied).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use authdesk_contract::{Task, TaskFeedRow};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{failed, OutboxEntry};
use crate::Result;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL, kind TEXT NOT NULL, change TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS reload_pages (n INTEGER PRIMARY KEY AUTOINCREMENT, page TEXT NOT NULL);
";
/// Everything the replica holds, deleted with its pages overwritten.
pub(super) const WIPE: &str = "
    PRAGMA secure_delete = ON;
    DELETE FROM outbox;
    DELETE FROM tasks;
    DELETE FROM meta;
    DELETE FROM reload_pages;
";
/// A lock held by another connection is waited for this long, never forever.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) fn connect(path: &Path) -> Result<Connection> {
    let db = Connection::open(path).map_err(failed)?;
    db.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
    // The outbox is the user's unsent work: every commit reaches the disk (FULL), and WAL keeps
    // reads from waiting on a write.
    db.pragma_update(None, "journal_mode", "WAL").map_err(failed)?;
    db.pragma_update(None, "synchronous", "FULL").map_err(failed)?;
    db.execute_batch(SCHEMA).map_err(failed)?;
    Ok(db)
}

pub(super) fn to_json<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

pub(super) fn from_json<T: for<'de> Deserialize<'de>>(json: &str) -> rusqlite::Result<T> {
    serde_json::from_str(json)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn parse_id(id: &str) -> rusqlite::Result<Uuid> {
    id.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn read_meta(db: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    db.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
}

pub(super) fn write_meta(db: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(drop)
}

pub(super) fn waiting(db: &Connection) -> rusqlite::Result<u32> {
    db.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
}

pub(super) fn enqueue(db: &Connection, id: Uuid, entry: &OutboxEntry) -> Result<()> {
    db.execute(
        "INSERT INTO outbox (task_id, kind, change) VALUES (?1, ?2, ?3)",
        params![id.to_string(), entry.kind(), to_json(entry).map_err(failed)?],
    )
    .map_err(failed)?;
    Ok(())
}

/// Tasks created here and not yet confirmed, with their place in the outbox.
pub(super) fn queued_creates(db: &Connection) -> rusqlite::Result<HashMap<String, i64>> {
    db.prepare_cached("SELECT task_id, seq FROM outbox WHERE kind = 'create'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// The oldest outbox entry: (seq, task id, entry as JSON).
pub(super) fn oldest_entry(db: &Connection) -> rusqlite::Result<Option<(i64, String, String)>> {
    db.query_row("SELECT seq, task_id, change FROM outbox ORDER BY seq LIMIT 1", [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .optional()
}

pub(super) fn drop_entry(db: &Connection, seq: i64) -> rusqlite::Result<()> {
    db.execute("DELETE FROM outbox WHERE seq = ?1", [seq]).map(drop)
}

/// Drops the server's copy of task `id`.
pub(super) fn forget_task(db: &Connection, id: Uuid) -> rusqlite::Result<()> {
    db.execute("DELETE FROM tasks WHERE id = ?1", [id.to_string()]).map(drop)
}

/// Drops the server's copy of every task (the outbox stays).
pub(super) fn forget_all_tasks(db: &Connection) -> rusqlite::Result<()> {
    db.execute("DELETE FROM tasks", []).map(drop)
}

/// The version of the server's copy of `id`.
pub(super) fn server_version(db: &Connection, id: Uuid) -> rusqlite::Result<Option<i64>> {
    db.query_row("SELECT version FROM tasks WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()
}

/// Keeps the server's `task` unless a newer version of it is kept already.
pub(super) fn keep_server_copy(db: &Connection, task: &Task) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO tasks (id, version, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body
         WHERE excluded.version >= tasks.version",
        params![task.id.to_string(), task.version, to_json(task)?],
    )
    .map(drop)
}

/// A row of the server's feed: the task kept as it is now, or gone with its tombstone.
pub(super) fn apply_change(db: &Connection, row: &TaskFeedRow) -> rusqlite::Result<()> {
    match row.clone().into_task() {
        Some(task) => keep_server_copy(db, &task),
        None => forget_task(db, row.id),
    }
}

/// Keeps one page of a reload aside until the last one has come (see [`apply_staged`]).
pub(super) fn stage_page(db: &Connection, changes: &[TaskFeedRow]) -> rusqlite::Result<()> {
    db.execute("INSERT INTO reload_pages (page) VALUES (?1)", [to_json(&changes)?]).map(drop)
}

pub(super) fn clear_staged(db: &Connection) -> rusqlite::Result<()> {
    db.execute("DELETE FROM reload_pages", []).map(drop)
}

/// Applies the staged pages in the order they came, one page in memory at a time.
pub(super) fn apply_staged(db: &Connection) -> rusqlite::Result<()> {
    let mut pages = db.prepare("SELECT page FROM reload_pages ORDER BY n")?;
    for page in pages.query_map([], |r| r.get::<_, String>(0))? {
        for change in from_json::<Vec<TaskFeedRow>>(&page?)? {
            apply_change(db, &change)?;
        }
    }
    Ok(())
}

/// The server's copy (of `only`, or of every task) with the waiting changes applied in order.
pub(super) fn view(db: &Connection, only: Option<Uuid>) -> rusqlite::Result<HashMap<Uuid, Task>> {
    let only = only.map(|id| id.to_string());
    let mut tasks = HashMap::new();
    let mut select = db.prepare_cached("SELECT body FROM tasks WHERE ?1 IS NULL OR id = ?1")?;
    for body in select.query_map([&only], |r| r.get::<_, String>(0))? {
        let task: Task = from_json(&body?)?;
        tasks.insert(task.id, task);
    }
    let mut select =
        db.prepare_cached("SELECT task_id, change FROM outbox WHERE ?1 IS NULL OR task_id = ?1 ORDER BY seq")?;
    for row in select.query_map([&only], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, change) = row?;
        apply_local(&mut tasks, parse_id(&id)?, from_json(&change)?);
    }
    Ok(tasks)
}

fn apply_local(tasks: &mut HashMap<Uuid, Task>, id: Uuid, entry: OutboxEntry) {
    match entry {
        OutboxEntry::Create { title, completed, at, .. } => {
            // Already known when the server's answer was lost but the feed brought the task.
            tasks.entry(id).or_insert(Task { id, title, completed, created_at: at, updated_at: at, version: 0 });
        }
        OutboxEntry::Update { patch, at } => {
            if let Some(task) = tasks.get_mut(&id) {
                patch.apply_to(task, at);
            }
        }
        OutboxEntry::Delete => {
            tasks.remove(&id);
        }
    }
}
