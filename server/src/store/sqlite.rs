//! SQLite backend (rusqlite): the embedded, single-machine database.
//!
//! One writer connection behind an async mutex serialises writes inside this process (so they never
//! spin on SQLITE_BUSY), and every write runs in an IMMEDIATE transaction so another process — say
//! `authdesk-server migrate` while the app runs — waits on `busy_timeout` instead of failing midway.
//! Readers get their own connections; WAL lets them run beside the writer. Every call runs on the
//! blocking pool, never on the async runtime.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use authdesk_contract::Task;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row, Transaction, TransactionBehavior};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::migrations::{self, Migration};
use super::{Backend, RefreshRecord, SessionRecord, Store, StoreError, StoreResult, TaskChanges, UserRecord};

const READERS: usize = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct SqliteStore {
    path: PathBuf,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    read_slots: Arc<Semaphore>,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let store = Self::open_without_migrating(path).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn open_without_migrating(path: &Path) -> StoreResult<Self> {
        let path = path.to_path_buf();
        let opened = tokio::task::spawn_blocking(move || -> StoreResult<_> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
            }
            let writer = connect(&path)?;
            // WAL is a property of the file; set it once, from the writer.
            writer.pragma_update(None, "journal_mode", "WAL").map_err(map_err)?;
            let readers = (0..READERS).map(|_| connect(&path)).collect::<StoreResult<Vec<_>>>()?;
            Ok((path, writer, readers))
        })
        .await
        .map_err(join_err)??;
        let (path, writer, readers) = opened;
        Ok(Self {
            path,
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            readers: Arc::new(Mutex::new(readers)),
            read_slots: Arc::new(Semaphore::new(READERS)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn migrate(&self) -> StoreResult<Vec<Migration>> {
        self.write(|tx| {
            tx.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                migrations::TABLE
            ))?;
            let applied = tx
                .prepare(&format!("SELECT version FROM {}", migrations::TABLE))?
                .query_map([], |row| row.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let pending = migrations::pending(migrations::SQLITE, &applied);
            for m in &pending {
                tx.execute_batch(m.sql)?;
                tx.execute(
                    &format!("INSERT INTO {} (version, name, applied_at) VALUES (?1, ?2, ?3)", migrations::TABLE),
                    params![m.version, m.name, ts(super::now())],
                )?;
            }
            Ok(pending)
        })
        .await
    }

    /// Runs `f` on a reader connection on the blocking pool.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let permit = self.read_slots.clone().acquire_owned().await.map_err(|e| StoreError::Other(e.to_string()))?;
        let readers = self.readers.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let pooled = readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            // A connection lost to a panic is replaced rather than shrinking the pool for good.
            let conn = match pooled {
                Some(conn) => conn,
                None => connect(&path)?,
            };
            let result = f(&conn).map_err(map_err);
            readers.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
            result
        })
        .await
        .map_err(join_err)?
    }

    /// Runs `f` inside an IMMEDIATE transaction on the writer connection, committing on `Ok`.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> rusqlite::Result<T> + Send + 'static,
    {
        let mut conn = self.writer.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map_err)?;
            let value = f(&tx).map_err(map_err)?;
            tx.commit().map_err(map_err)?;
            Ok(value)
        })
        .await
        .map_err(join_err)?
    }
}

fn connect(path: &Path) -> StoreResult<Connection> {
    let conn =
        Connection::open(path).map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(map_err)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(map_err)?;
    // NORMAL is durable across application crashes in WAL mode; only power loss can drop the
    // last transactions, which is the usual trade for a desktop database.
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(map_err)?;
    Ok(conn)
}

fn map_err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => {
            // Unique and primary-key violations are conflicts; other constraints are bugs.
            let unique = matches!(&e, rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY);
            if unique {
                StoreError::Conflict
            } else {
                StoreError::Other(e.to_string())
            }
        }
        Some(
            ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked
            | ErrorCode::CannotOpen
            | ErrorCode::DiskFull
            | ErrorCode::ReadOnly,
        ) => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Other(e.to_string()),
    }
}

fn join_err(e: tokio::task::JoinError) -> StoreError {
    StoreError::Other(format!("database task failed: {e}"))
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_ts(idx: usize, s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e)))
}

fn parse_uuid(idx: usize, s: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e)))
}

const USER_COLUMNS: &str = "id, email, password_hash, created_at, last_login_at, tokens_not_before";

fn opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(idx)?.map(|s| parse_ts(idx, &s)).transpose()
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: parse_uuid(0, &row.get::<_, String>(0)?)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        created_at: parse_ts(3, &row.get::<_, String>(3)?)?,
        last_login_at: opt_ts(row, 4)?,
        tokens_not_before: opt_ts(row, 5)?,
    })
}

const SESSION_COLUMNS: &str = "id, user_id, label, created_at, last_used_at, expires_at, revoked_at";

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    Ok(SessionRecord {
        id: parse_uuid(0, &row.get::<_, String>(0)?)?,
        user_id: parse_uuid(1, &row.get::<_, String>(1)?)?,
        label: row.get(2)?,
        created_at: parse_ts(3, &row.get::<_, String>(3)?)?,
        last_used_at: parse_ts(4, &row.get::<_, String>(4)?)?,
        expires_at: parse_ts(5, &row.get::<_, String>(5)?)?,
        revoked_at: opt_ts(row, 6)?,
    })
}

const REFRESH_COLUMNS: &str =
    "token_hash, session_id, created_at, expires_at, spent_at, successor_hash, successor_sealed";

fn refresh_from_row(row: &Row<'_>) -> rusqlite::Result<RefreshRecord> {
    Ok(RefreshRecord {
        token_hash: row.get(0)?,
        session_id: parse_uuid(1, &row.get::<_, String>(1)?)?,
        created_at: parse_ts(2, &row.get::<_, String>(2)?)?,
        expires_at: parse_ts(3, &row.get::<_, String>(3)?)?,
        spent_at: opt_ts(row, 4)?,
        successor_hash: row.get(5)?,
        successor_sealed: row.get(6)?,
    })
}

fn insert_refresh(tx: &Connection, r: &RefreshRecord) -> rusqlite::Result<()> {
    tx.execute(
        &format!("INSERT INTO refresh_tokens ({REFRESH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        params![
            r.token_hash,
            r.session_id.to_string(),
            ts(r.created_at),
            ts(r.expires_at),
            r.spent_at.map(ts),
            r.successor_hash,
            r.successor_sealed
        ],
    )
    .map(drop)
}

fn attempts_since(
    conn: &Connection,
    scope: &str,
    key: &str,
    since: &str,
) -> rusqlite::Result<(u32, Option<DateTime<Utc>>)> {
    conn.query_row(
        "SELECT count(*), min(at) FROM auth_attempts WHERE scope = ?1 AND key = ?2 AND at > ?3",
        params![scope, key, since],
        |row| Ok((row.get::<_, u32>(0)?, row.get::<_, Option<String>>(1)?.map(|s| parse_ts(1, &s)).transpose()?)),
    )
}

const TASK_COLUMNS: &str = "id, title, completed, created_at, updated_at";

fn task_from_row(row: &Row<'_>) -> rusqlite::Result<Task> {
    Ok(Task {
        id: parse_uuid(0, &row.get::<_, String>(0)?)?,
        title: row.get(1)?,
        completed: row.get(2)?,
        created_at: parse_ts(3, &row.get::<_, String>(3)?)?,
        updated_at: parse_ts(4, &row.get::<_, String>(4)?)?,
    })
}

fn select_task(conn: &Connection, owner: Uuid, id: Uuid) -> rusqlite::Result<Option<Task>> {
    conn.query_row(
        &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1 AND user_id = ?2"),
        params![id.to_string(), owner.to_string()],
        task_from_row,
    )
    .optional()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read(|conn| conn.query_row("SELECT 1", [], |_| Ok(()))).await
    }

    async fn insert_user(&self, user: &UserRecord) -> StoreResult<()> {
        let u = user.clone();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO users (id, email, password_hash, created_at, last_login_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![u.id.to_string(), u.email, u.password_hash, ts(u.created_at), u.last_login_at.map(ts)],
            )
            .map(drop)
        })
        .await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let email = email.to_owned();
        self.read(move |conn| {
            conn.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE lower(email) = ?1"), [email], user_from_row)
                .optional()
        })
        .await
    }

    async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<UserRecord>> {
        self.read(move |conn| {
            conn.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"), [id.to_string()], user_from_row)
                .optional()
        })
        .await
    }

    async fn user_and_session(&self, id: Uuid, session: Option<Uuid>) -> StoreResult<Option<(UserRecord, bool)>> {
        self.read(move |conn| {
            conn.prepare_cached(
                "SELECT u.id, u.email, u.password_hash, u.created_at, u.last_login_at, u.tokens_not_before,
                        s.id IS NOT NULL AND s.revoked_at IS NULL
                 FROM users u LEFT JOIN sessions s ON s.id = ?2 AND s.user_id = u.id
                 WHERE u.id = ?1",
            )?
            .query_row(params![id.to_string(), session.map(|s| s.to_string())], |row| {
                Ok((user_from_row(row)?, row.get::<_, bool>(6)?))
            })
            .optional()
        })
        .await
    }

    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute("UPDATE users SET last_login_at = ?1 WHERE id = ?2", params![ts(at), id.to_string()]).map(drop)
        })
        .await
    }

    async fn list_tasks(&self, owner: Uuid) -> StoreResult<Vec<Task>> {
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE user_id = ?1 ORDER BY created_at DESC, seq DESC"
            ))?
            .query_map([owner.to_string()], task_from_row)?
            .collect()
        })
        .await
    }

    async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>> {
        self.read(move |conn| select_task(conn, owner, id)).await
    }

    async fn insert_task(&self, owner: Uuid, task: &Task) -> StoreResult<()> {
        let t = task.clone();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![t.id.to_string(), owner.to_string(), t.title, t.completed, ts(t.created_at), ts(t.updated_at)],
            )
            .map(drop)
        })
        .await
    }

    async fn update_task(
        &self,
        owner: Uuid,
        id: Uuid,
        changes: TaskChanges,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Task>> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE tasks SET title = coalesce(?1, title), completed = coalesce(?2, completed), updated_at = ?3
                 WHERE id = ?4 AND user_id = ?5",
                params![changes.title, changes.completed, ts(at), id.to_string(), owner.to_string()],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            select_task(tx, owner, id)
        })
        .await
    }

    async fn delete_task(&self, owner: Uuid, id: Uuid) -> StoreResult<bool> {
        self.write(move |tx| {
            tx.execute("DELETE FROM tasks WHERE id = ?1 AND user_id = ?2", params![id.to_string(), owner.to_string()])
                .map(|n| n > 0)
        })
        .await
    }

    async fn upgrade_password_hash(&self, id: Uuid, old: &str, new: &str) -> StoreResult<bool> {
        let (old, new) = (old.to_owned(), new.to_owned());
        self.write(move |tx| {
            tx.execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
                params![new, id.to_string(), old],
            )
            .map(|n| n > 0)
        })
        .await
    }

    async fn change_password(
        &self,
        id: Uuid,
        new_hash: &str,
        keep: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let new_hash = new_hash.to_owned();
        self.write(move |tx| {
            tx.execute(
                "UPDATE users SET password_hash = ?1, tokens_not_before = ?2 WHERE id = ?3",
                params![new_hash, ts(at), id.to_string()],
            )?;
            tx.execute(
                "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL AND id IS NOT ?3",
                params![ts(at), id.to_string(), keep.map(|k| k.to_string())],
            )
            .map(drop)
        })
        .await
    }

    async fn delete_user(&self, id: Uuid, email: &str) -> StoreResult<bool> {
        let email = email.to_owned();
        self.write(move |tx| {
            tx.execute("DELETE FROM auth_attempts WHERE key = ?1 OR key = ?2", params![email, id.to_string()])?;
            // Tasks, sessions and refresh tokens go with the user (ON DELETE CASCADE).
            tx.execute("DELETE FROM users WHERE id = ?1", [id.to_string()]).map(|n| n > 0)
        })
        .await
    }

    async fn create_session(&self, session: &SessionRecord, refresh: &RefreshRecord) -> StoreResult<()> {
        let (s, r) = (session.clone(), refresh.clone());
        self.write(move |tx| {
            tx.execute(
                &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![
                    s.id.to_string(),
                    s.user_id.to_string(),
                    s.label,
                    ts(s.created_at),
                    ts(s.last_used_at),
                    ts(s.expires_at),
                    s.revoked_at.map(ts)
                ],
            )?;
            insert_refresh(tx, &r)
        })
        .await
    }

    async fn session(&self, id: Uuid) -> StoreResult<Option<SessionRecord>> {
        self.read(move |conn| {
            conn.prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"))?
                .query_row([id.to_string()], session_from_row)
                .optional()
        })
        .await
    }

    async fn live_sessions(&self, user: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<SessionRecord>> {
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2
                 ORDER BY created_at DESC"
            ))?
            .query_map(params![user.to_string(), ts(now)], session_from_row)?
            .collect()
        })
        .await
    }

    async fn revoke_session(&self, user: Uuid, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE sessions SET revoked_at = ?1 WHERE id = ?2 AND user_id = ?3 AND revoked_at IS NULL",
                params![ts(at), id.to_string(), user.to_string()],
            )
            .map(|n| n > 0)
        })
        .await
    }

    async fn revoke_all_sessions(&self, user: Uuid, at: DateTime<Utc>) -> StoreResult<u64> {
        self.write(move |tx| {
            tx.execute("UPDATE users SET tokens_not_before = ?1 WHERE id = ?2", params![ts(at), user.to_string()])?;
            tx.execute(
                "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL",
                params![ts(at), user.to_string()],
            )
            .map(|n| n as u64)
        })
        .await
    }

    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshRecord>> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = ?1"),
                [token_hash],
                refresh_from_row,
            )
            .optional()
        })
        .await
    }

    async fn rotate_refresh(
        &self,
        old_hash: &str,
        new: &RefreshRecord,
        sealed: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let (old_hash, new, sealed) = (old_hash.to_owned(), new.clone(), sealed.to_owned());
        self.write(move |tx| {
            let spent = tx.execute(
                "UPDATE refresh_tokens SET spent_at = ?1, successor_hash = ?2, successor_sealed = ?3
                 WHERE token_hash = ?4 AND spent_at IS NULL",
                params![ts(at), new.token_hash, sealed, old_hash],
            )?;
            if spent == 0 {
                return Ok(false);
            }
            insert_refresh(tx, &new)?;
            tx.execute(
                "UPDATE sessions SET last_used_at = ?1, expires_at = ?2 WHERE id = ?3",
                params![ts(at), ts(new.expires_at), new.session_id.to_string()],
            )?;
            Ok(true)
        })
        .await
    }

    async fn touch_session(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute("UPDATE sessions SET last_used_at = ?1 WHERE id = ?2", params![ts(at), id.to_string()]).map(drop)
        })
        .await
    }

    async fn try_attempt(
        &self,
        scope: &str,
        key: &str,
        max: u32,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<(), DateTime<Utc>>> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        // The IMMEDIATE transaction makes count-then-insert atomic across processes.
        self.write(move |tx| {
            let since = ts(since);
            tx.execute(
                "DELETE FROM auth_attempts WHERE scope = ?1 AND key = ?2 AND at <= ?3",
                params![scope, key, since],
            )?;
            let (count, oldest) = attempts_since(tx, &scope, &key, &since)?;
            if count >= max {
                return Ok(Err(oldest.unwrap_or(at)));
            }
            tx.execute("INSERT INTO auth_attempts (scope, key, at) VALUES (?1, ?2, ?3)", params![scope, key, ts(at)])?;
            Ok(Ok(()))
        })
        .await
    }

    async fn attempts(
        &self,
        scope: &str,
        key: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        self.read(move |conn| attempts_since(conn, &scope, &key, &ts(since))).await
    }

    async fn add_attempt(&self, scope: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        self.write(move |tx| {
            tx.execute("INSERT INTO auth_attempts (scope, key, at) VALUES (?1, ?2, ?3)", params![scope, key, ts(at)])
                .map(drop)
        })
        .await
    }

    async fn clear_attempts(&self, scope: &str, key: &str) -> StoreResult<()> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        self.write(move |tx| {
            tx.execute("DELETE FROM auth_attempts WHERE scope = ?1 AND key = ?2", params![scope, key]).map(drop)
        })
        .await
    }

    async fn prune_attempts(&self, before: DateTime<Utc>) -> StoreResult<()> {
        self.write(move |tx| tx.execute("DELETE FROM auth_attempts WHERE at < ?1", [ts(before)]).map(drop)).await
    }
}
