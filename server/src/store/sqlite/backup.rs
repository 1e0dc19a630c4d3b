//! Copies of a SQLite database: a backup taken while the app writes (`VACUUM INTO` reads one
//! consistent snapshot, so writers carry on), the checks a file passes before it may replace the
//! database, and the restore itself, in place through the writer connection (the open
//! connections, and whatever holds the store, see the restored content at their next statement;
//! nothing has to be closed, and no stale `-wal` file can be paired with the wrong database).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::Sqlite;
use crate::store::migrations::latest_sqlite_version;

/// Why a backup could not be made, or a file cannot be restored. The sentences are for a person.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("This file is not an authdesk database.")]
    NotAuthdesk,
    #[error("This file is damaged ({0}); nothing was changed.")]
    Damaged(String),
    #[error("This backup was made by a newer version of authdesk (schema {found}; this one knows up to {known}).")]
    Newer { found: i64, known: i64 },
    #[error("{0}")]
    Io(String),
}

/// What a file that passed the checks holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    pub schema_version: i64,
    pub accounts: i64,
    /// Live tasks (deleted ones are kept a while for the change feed; they are not counted).
    pub tasks: i64,
}

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> BackupError {
    BackupError::Io(format!("Cannot {what} {}: {e}", path.display()))
}

/// Writes a consistent copy of the database at `source` to `dest` (replacing it only once the copy
/// is whole), readable by this user only. Safe while another connection, or process, writes.
/// Blocking: call it off the async runtime.
pub fn backup(source: &Path, dest: &Path, busy_timeout: Duration) -> Result<BackupInfo, BackupError> {
    let conn = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| io("open", source, e))?;
    conn.busy_timeout(busy_timeout).map_err(|e| io("open", source, e))?;
    let partial = partial_path(dest);
    let _ = std::fs::remove_file(&partial);
    // Created empty and private first: VACUUM INTO fills an empty file and keeps its mode, so the
    // copy is never readable by others, not even for a moment.
    create_private(&partial).map_err(|e| io("create", &partial, e))?;
    let copied = conn
        .execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .map_err(|e| io("copy the database to", &partial, e))
        .and_then(|_| check(&partial));
    match copied {
        Ok(info) => {
            std::fs::rename(&partial, dest).map_err(|e| io("write", dest, e))?;
            Ok(info)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// The checks a file passes before it may be restored: SQLite's `integrity_check`, the
/// bookkeeping of authdesk's migrations, and a schema version this build can open or migrate.
/// Reads only. Blocking.
pub fn check(path: &Path) -> Result<BackupInfo, BackupError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| io("open", path, e))?;
    let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => BackupError::NotAuthdesk,
        _ => BackupError::Damaged(e.to_string()),
    };
    let verdict: String = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0)).map_err(damaged)?;
    if verdict != "ok" {
        return Err(BackupError::Damaged(verdict));
    }
    let found: Option<i64> = conn
        .query_row("SELECT max(version) FROM authdesk_schema_migrations", [], |r| r.get(0))
        .map_err(|_| BackupError::NotAuthdesk)?;
    let schema_version = found.ok_or(BackupError::NotAuthdesk)?;
    let known = latest_sqlite_version();
    if schema_version > known {
        return Err(BackupError::Newer { found: schema_version, known });
    }
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(|_| BackupError::NotAuthdesk);
    let accounts = count("SELECT count(*) FROM users")?;
    // Before the sync schema (7) no task was ever deleted softly.
    let tasks = match schema_version {
        v if v >= 7 => count("SELECT count(*) FROM tasks WHERE deleted_at IS NULL")?,
        _ => count("SELECT count(*) FROM tasks")?,
    };
    Ok(BackupInfo { schema_version, accounts, tasks })
}

/// An empty file only this user may read (0600 on Unix; the desktop app adds its own ACL on
/// Windows).
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Where a copy is written before it is whole: beside its destination.
fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    dest.with_file_name(name)
}

impl Sqlite {
    /// Replaces the whole database with the (checked) file at `source`, in one step through the
    /// writer: other writes wait, readers see either the old content or the new.
    pub(crate) async fn restore_from(&self, source: &Path) -> Result<(), BackupError> {
        let source = source.to_path_buf();
        let writer = self.writer.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || {
            let mut writer = writer;
            let from = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| io("open", &source, e))?;
            let copy = rusqlite::backup::Backup::new(&from, &mut writer).map_err(|e| io("restore", &source, e))?;
            copy.run_to_completion(1024, Duration::ZERO, None).map_err(|e| io("restore", &source, e))
        })
        .await
        .map_err(|e| BackupError::Io(format!("The restore stopped: {e}")))?
    }
}
