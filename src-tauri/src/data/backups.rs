//! The embedded database's backups: one a day into `<data dir>/backups` (the last [`KEEP`] kept,
//! each readable by this user only), one on demand wherever the user says, and the file a
//! restore starts from, copied into the data folder before it is checked so that what was
//! checked is what is restored.

use std::path::{Path, PathBuf};
use std::time::Duration;

use authdesk_contract::desktop::data::BackupEntry;
use authdesk_contract::desktop::CommandError;
use authdesk_server::store::sqlite::backup::{self, BackupError, BackupInfo};
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::client::DATABASE_FILE;
use crate::Result;

pub const BACKUPS_DIR: &str = "backups";
/// Automatic backups kept; the oldest goes when an eighth is made.
pub const KEEP: usize = 7;
/// How old the newest automatic backup may get.
pub const EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// The file a restore is checked and made from, in the data folder.
pub const CANDIDATE_FILE: &str = "restore-candidate.db";
/// A lock held by another writer is waited for this long.
const BUSY: Duration = Duration::from_secs(10);
const STAMP: &str = "%Y%m%d-%H%M%S";

pub fn refused(e: BackupError) -> CommandError {
    match e {
        BackupError::Io(message) => CommandError::local(message),
        e => CommandError::rejected(e.to_string()),
    }
}

/// The automatic backups, newest first.
pub fn list(data_dir: &Path) -> Vec<BackupEntry> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(BACKUPS_DIR)) else { return Vec::new() };
    let mut found: Vec<(DateTime<Utc>, BackupEntry)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let made_at = made_at(&name)?;
            let bytes = e.metadata().ok()?.len();
            Some((made_at, BackupEntry { name, made_at: made_at.to_rfc3339(), bytes }))
        })
        .collect();
    found.sort_by_key(|b| std::cmp::Reverse(b.0));
    found.into_iter().map(|(_, entry)| entry).collect()
}

/// When an automatic backup named `name` was made; `None` for any other file.
fn made_at(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix("authdesk-")?.strip_suffix(".db")?;
    Some(NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc())
}

/// The automatic backup called `name`, if there is one (a name from the webview is never a path).
pub fn automatic(data_dir: &Path, name: &str) -> Option<PathBuf> {
    list(data_dir).into_iter().find(|b| b.name == name).map(|b| data_dir.join(BACKUPS_DIR).join(b.name))
}

/// Makes the day's backup if the newest is older than [`EVERY`] (and there is a database), then
/// keeps the newest [`KEEP`]. Blocking. Answers the new file.
pub fn daily(data_dir: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    let database = data_dir.join(DATABASE_FILE);
    if !database.exists() {
        return Ok(None);
    }
    let newest = list(data_dir).first().and_then(|b| DateTime::parse_from_rfc3339(&b.made_at).ok());
    if newest.is_some_and(|at| now.signed_duration_since(at).to_std().unwrap_or_default() < EVERY) {
        return Ok(None);
    }
    let dir = data_dir.join(BACKUPS_DIR);
    crate::files::ensure_private_dir(&dir)?;
    let file = dir.join(format!("authdesk-{}.db", now.format(STAMP)));
    copy_database(data_dir, &file)?;
    for old in list(data_dir).into_iter().skip(KEEP) {
        let _ = std::fs::remove_file(dir.join(old.name));
    }
    Ok(Some(file))
}

/// A consistent copy of the embedded database at `dest`, safe while the app writes. Blocking.
pub fn copy_database(data_dir: &Path, dest: &Path) -> Result<BackupInfo> {
    let info = backup::backup(&data_dir.join(DATABASE_FILE), dest, BUSY).map_err(refused)?;
    crate::files::ensure_private_database(dest)?;
    Ok(info)
}

/// Copies `source` into the data folder as the restore candidate and checks the copy. Blocking.
pub fn stage_restore(data_dir: &Path, source: &Path) -> Result<(PathBuf, BackupInfo)> {
    let candidate = data_dir.join(CANDIDATE_FILE);
    let _ = std::fs::remove_file(&candidate);
    std::fs::copy(source, &candidate)
        .map_err(|e| CommandError::local(format!("Cannot read {}: {e}", source.display())))?;
    crate::files::ensure_private_database(&candidate)?;
    match backup::check(&candidate) {
        Ok(info) => Ok((candidate, info)),
        Err(e) => {
            let _ = std::fs::remove_file(&candidate);
            Err(refused(e))
        }
    }
}

/// Where the database replaced by a restore is kept: beside it, named for the moment.
pub fn kept_before_restore(data_dir: &Path, now: DateTime<Utc>) -> PathBuf {
    data_dir.join(format!("authdesk-before-restore-{}.db", now.format(STAMP)))
}
