//! SQLite driver (rusqlite): the embedded, single-machine database.
//!
//! One writer connection behind an async mutex serialises writes inside this process (so they never
//! spin on SQLITE_BUSY), and every transaction is IMMEDIATE so another process — say
//! `authdesk-server migrate` while the app runs — waits on `busy_timeout` instead of failing midway.
//! Readers get their own connections, each on a thread of its own (`readers`); WAL lets them run
//! beside the writer. Writes run on the blocking pool: no call runs on the async runtime.
//!
//! What is SQLite's own here: opening and pooling, `$N` → `?N` placeholders, and the type mapping
//! (UUIDs and timestamps are stored as text, booleans as integers).

use std::path::Path;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode};
use uuid::Uuid;

use super::readers::Readers;
use super::sql::{time_text, Conn, Row, TxBody, Value};

pub mod backup;
use super::{StoreError, StoreResult};

/// Reader connections, each on its own thread: one per core (more only queue for the CPU, and
/// lengthen the slowest answers: BENCHMARKS.md), at least two so one long read does not hold up
/// the rest.
fn readers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}
/// Every statement of the application fits, so none is prepared twice.
const STATEMENT_CACHE: usize = 64;

pub struct Sqlite {
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Readers,
    /// Calls waiting for the writer, for the metrics.
    waiting: Arc<std::sync::atomic::AtomicUsize>,
}

/// One caller waiting for a connection, until dropped.
struct Waiting(Arc<std::sync::atomic::AtomicUsize>);

impl Waiting {
    fn enter(count: &Arc<std::sync::atomic::AtomicUsize>) -> Self {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Waiting(count.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Sqlite {
    /// Opens (creating if needed) the database file; does not migrate. A lock held elsewhere is
    /// waited for at most `busy_timeout`.
    pub async fn open(path: &Path, busy_timeout: Duration) -> StoreResult<Self> {
        let path = path.to_path_buf();
        let (path, writer, readers) = tokio::task::spawn_blocking(move || -> StoreResult<_> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
            }
            let writer = connect(&path, busy_timeout)?;
            // WAL is a property of the file; set it once, from the writer.
            enable_wal(&writer, busy_timeout)?;
            let readers = (0..readers()).map(|_| connect(&path, busy_timeout)).collect::<StoreResult<Vec<_>>>()?;
            Ok((path, writer, readers))
        })
        .await
        .map_err(join_err)??;
        let readers = Readers::start(readers, move || connect(&path, busy_timeout))?;
        Ok(Self { writer: Arc::new(tokio::sync::Mutex::new(writer)), readers, waiting: Arc::default() })
    }

    /// The connections (readers and the writer), those in use, and the calls waiting for one.
    pub fn pool_state(&self) -> super::PoolState {
        let writer_busy = usize::from(self.writer.try_lock().is_err());
        let (readers, reading, queued) = self.readers.state();
        super::PoolState {
            size: readers + 1,
            in_use: reading + writer_busy,
            waiting: queued + self.waiting.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Runs a read on a reader thread's connection, mapping each row there.
    pub async fn query<T, F>(&self, sql: &'static str, params: Vec<Value>, map: F) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.readers.run(move |conn| query(conn, sql, &params, map)).await
    }

    /// Runs one writing statement on the writer connection; its mapped rows (for `RETURNING`) and
    /// the number of rows changed. A single statement is atomic without an explicit transaction.
    pub async fn write<T, F>(&self, sql: &'static str, params: Vec<Value>, map: F) -> StoreResult<(Vec<T>, u64)>
    where
        T: Send + 'static,
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send + 'static,
    {
        let waiting = Waiting::enter(&self.waiting);
        let mut conn = self.writer.clone().lock_owned().await;
        drop(waiting);
        tokio::task::spawn_blocking(move || {
            let rows = query(&mut conn, sql, &params, map)?;
            Ok((rows, conn.changes()))
        })
        .await
        .map_err(join_err)?
    }

    /// Runs `body` in an IMMEDIATE transaction on the writer, committing on `Ok`.
    pub async fn transaction<T, F>(&self, body: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn<'_>) -> TxBody<'c, T> + Send + 'static,
    {
        let waiting = Waiting::enter(&self.waiting);
        let mut guard = self.writer.clone().lock_owned().await;
        drop(waiting);
        tokio::task::spawn_blocking(move || {
            let conn: &mut Connection = &mut guard;
            if !conn.is_autocommit() {
                // A transaction left open by a panic: undo it before starting ours.
                conn.execute_batch("ROLLBACK").map_err(map_err)?;
            }
            conn.execute_batch("BEGIN IMMEDIATE").map_err(map_err)?;
            let result = {
                let mut tx = Conn::Sqlite(conn);
                run_now(body(&mut tx))
            };
            match result {
                Ok(value) => conn.execute_batch("COMMIT").map(|()| value).map_err(map_err),
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        })
        .await
        .map_err(join_err)?
    }
}

/// Runs a transaction body to completion on this (blocking) thread. Its statements are
/// synchronous calls into SQLite, so it completes on the first poll; anything else is a bug.
fn run_now<T>(mut body: TxBody<'_, T>) -> StoreResult<T> {
    match body.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        Poll::Pending => Err(StoreError::Other("a SQLite transaction awaited something other than SQLite".into())),
    }
}

/// Switches the file to WAL. The switch needs the file to itself, and SQLite answers "database is
/// locked" at once, without its busy handler, while another process holds it (instances starting
/// together on a new file): retried until `busy_timeout`, as any other lock wait is.
fn enable_wal(conn: &Connection, busy_timeout: Duration) -> StoreResult<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && started.elapsed() < busy_timeout =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other.map_err(map_err),
        }
    }
}

fn connect(path: &Path, busy_timeout: Duration) -> StoreResult<Connection> {
    let conn =
        Connection::open(path).map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(busy_timeout).map_err(map_err)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(map_err)?;
    // NORMAL is durable across application crashes in WAL mode; only power loss can drop the
    // last transactions, which is the usual trade for a desktop database.
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(map_err)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// The statement with PostgreSQL's `$N` placeholders as SQLite's `?N` (SQLite would read `$1` as
/// a *named* parameter and number it by first appearance, not by its digits).
fn translate(sql: &str) -> String {
    // Bytes, not chars: both markers are ASCII, and the text between them is copied in pieces
    // (this runs for every statement).
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let (mut copied, mut in_literal) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => in_literal = !in_literal,
            b'$' if !in_literal && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.push_str(&sql[copied..i]);
                out.push('?');
                copied = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(&sql[copied..]);
    out
}

pub(super) fn query<T>(
    conn: &mut Connection,
    sql: &str,
    params: &[Value],
    mut map: impl FnMut(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut statement = conn.prepare_cached(&translate(sql)).map_err(map_err)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params)).map_err(map_err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(map_err)? {
        out.push(map(&Row::Sqlite(row))?);
    }
    Ok(out)
}

pub(super) fn execute(conn: &mut Connection, sql: &str, params: &[Value]) -> StoreResult<u64> {
    let mut statement = conn.prepare_cached(&translate(sql)).map_err(map_err)?;
    statement.execute(rusqlite::params_from_iter(params)).map(|n| n as u64).map_err(map_err)
}

// The type mapping, read side: UUIDs and timestamps are text, booleans integers.

fn get<T: rusqlite::types::FromSql>(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<T> {
    row.get(i).map_err(map_err)
}

fn parsed<T>(row: &rusqlite::Row<'_>, i: usize, parse: impl Fn(&str) -> Option<T>) -> StoreResult<Option<T>> {
    match row.get_ref(i).map_err(map_err)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => {
            std::str::from_utf8(bytes).ok().and_then(parse).map(Some).ok_or_else(|| {
                StoreError::Other(format!("column {i}: unreadable {:?}", String::from_utf8_lossy(bytes)))
            })
        }
        other => Err(StoreError::Other(format!("column {i}: expected text, found {:?}", other.data_type()))),
    }
}

fn required<T>(value: Option<T>, i: usize) -> StoreResult<T> {
    value.ok_or_else(|| StoreError::Other(format!("column {i} is NULL")))
}

pub(super) fn is_null(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<bool> {
    Ok(matches!(row.get_ref(i).map_err(map_err)?, ValueRef::Null))
}

pub(super) fn text(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<String> {
    get(row, i)
}

pub(super) fn opt_text(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<Option<String>> {
    get(row, i)
}

pub(super) fn int(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<i64> {
    get(row, i)
}

pub(super) fn bool(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<bool> {
    get::<i64>(row, i).map(|n| n != 0)
}

pub(super) fn uuid(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<Uuid> {
    required(parsed(row, i, |s| Uuid::parse_str(s).ok())?, i)
}

pub(super) fn opt_time(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<Option<DateTime<Utc>>> {
    parsed(row, i, parse_time)
}

/// RFC 3339 as we write it, or SQLAlchemy's naive UTC text (`2024-01-02 03:04:05.000006`) as the
/// original design's SQLite database holds it.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S%.f").ok().map(|t| t.and_utc()))
}

pub(super) fn time(row: &rusqlite::Row<'_>, i: usize) -> StoreResult<DateTime<Utc>> {
    required(opt_time(row, i)?, i)
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Owned;
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(Owned::Null),
            Value::Bool(b) => ToSqlOutput::Owned(Owned::Integer(i64::from(*b))),
            Value::Int(n) => ToSqlOutput::Owned(Owned::Integer(*n)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            // Hyphenated lower case, as every existing row has it.
            Value::Uuid(u) => ToSqlOutput::Owned(Owned::Text(u.to_string())),
            Value::Time(t) => ToSqlOutput::Owned(Owned::Text(time_text(*t))),
        })
    }
}

pub(super) fn map_err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => {
            // Unique and primary-key violations are conflicts, a missing referenced row is a
            // deletion that raced the write; other constraints are bugs.
            let extended = match &e {
                rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
                _ => 0,
            };
            match extended {
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    StoreError::Conflict
                }
                rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::Gone,
                _ => StoreError::Other(e.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn times_read_as_we_write_them_and_as_sqlalchemy_did() {
        let ours = parse_time("2026-01-02T03:04:05.000006Z").unwrap();
        assert_eq!(parse_time("2026-01-02 03:04:05.000006"), Some(ours));
        assert_eq!(parse_time("2026-01-02 03:04:05").unwrap(), ours.with_nanosecond(0).unwrap());
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn placeholders_become_numbered_question_marks_outside_literals() {
        assert_eq!(translate("SELECT $1, $12 WHERE a = '$1' AND b = $2"), "SELECT ?1, ?12 WHERE a = '$1' AND b = ?2");
        assert_eq!(translate("SELECT 'it''s $3', $3"), "SELECT 'it''s $3', ?3");
    }
}
