//! Your data: backups of the embedded database (one a day, and on demand), restoring one, the
//! export (JSON or CSV) and the import (an authdesk export or a CSV of tasks, counted first). The
//! files are picked in the shell's own dialogs ([`FilePicker`]); what the webview sends never
//! names a path.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use authdesk_contract::desktop::data::{
    BackupMade, DataOverview, ExportFormat, ImportDone, ImportPreview, RestorePreview,
};
use authdesk_contract::desktop::{CommandError, ServerChoice, SignedOut};
use authdesk_contract::{ImportRequest, ImportTask, MAX_IMPORT_TASKS};
use chrono::Utc;

use super::{Desktop, Leftover};
use crate::data::moving::MoveState;
use crate::data::{backups, tasks_file, FileKind, FilePicker};
use crate::words;
use crate::Result;

/// How often the app looks whether the day's backup is due.
const BACKUP_CHECK: Duration = Duration::from_secs(60 * 60);

/// An import read and counted, waiting for the user's yes.
struct PendingImport {
    tasks: Vec<ImportTask>,
}

/// Your data's state in the shell.
#[derive(Default)]
pub(super) struct Files {
    picker: Mutex<Option<Arc<dyn FilePicker>>>,
    import: Mutex<Option<PendingImport>>,
    /// The checked copy of the backup to restore.
    restore: Mutex<Option<PathBuf>>,
    /// Why the last automatic backup failed, until one works.
    backup_problem: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| CommandError::local(format!("Stopped: {e}")))?
}

/// Makes the day's backup now and then, while the app runs on the embedded server.
pub(super) fn keep_daily_backups(desktop: &Arc<Desktop>) {
    let weak = Arc::downgrade(desktop);
    tokio::spawn(async move {
        while let Some(desktop) = weak.upgrade() {
            desktop.daily_backup().await;
            drop(desktop);
            tokio::time::sleep(BACKUP_CHECK).await;
        }
    });
}

fn embedded_only() -> CommandError {
    CommandError::rejected("Backups are for the database on this computer (the embedded server).")
}

impl Desktop {
    /// The dialogs files are picked in (the app's; tests give their own).
    pub fn use_picker(&self, picker: Arc<dyn FilePicker>) {
        *lock(&self.files.picker) = Some(picker);
    }

    async fn pick(&self, save_as: Option<String>, kind: FileKind) -> Result<Option<PathBuf>> {
        let picker = lock(&self.files.picker).clone().ok_or_else(|| CommandError::local("No file dialog here"))?;
        let dialog = kind.dialog(&words::catalog(self.language()));
        blocking(move || {
            Ok(match save_as {
                Some(name) => picker.save(&name, &dialog),
                None => picker.open(&dialog),
            })
        })
        .await
    }

    /// The day's backup, if due and the embedded server is in use. A failure is kept for the
    /// screen (and the next try).
    pub async fn daily_backup(&self) -> Option<PathBuf> {
        if self.settings().await != ServerChoice::Embedded {
            return None;
        }
        let dir = self.data_dir.clone();
        let made = blocking(move || backups::daily(&dir, Utc::now())).await;
        *lock(&self.files.backup_problem) = made.as_ref().err().map(|e| e.message.clone());
        made.ok().flatten()
    }

    pub async fn data_overview(&self) -> Result<DataOverview> {
        Ok(DataOverview {
            embedded: self.settings().await == ServerChoice::Embedded,
            backups: backups::list(&self.data_dir),
            backups_dir: self.data_dir.join(backups::BACKUPS_DIR).display().to_string(),
            backup_problem: lock(&self.files.backup_problem).clone(),
            moving: MoveState::load(&self.data_dir)?.map(|m| m.progress()),
        })
    }

    /// Backs the embedded database up to a file the user picks.
    pub async fn back_up_now(&self) -> Result<Option<BackupMade>> {
        if self.settings().await != ServerChoice::Embedded {
            return Err(embedded_only());
        }
        let name = format!("authdesk-backup-{}.db", Utc::now().format("%Y-%m-%d"));
        let Some(dest) = self.pick(Some(name), FileKind::Backup).await? else { return Ok(None) };
        let dir = self.data_dir.clone();
        let file = dest.display().to_string();
        let info = blocking(move || backups::copy_database(&dir, &dest)).await?;
        Ok(Some(BackupMade { file, tasks: info.tasks }))
    }

    /// Picks a backup (a file, or an automatic one by name), copies it here and checks the copy.
    pub async fn choose_restore(&self, automatic: Option<String>) -> Result<Option<RestorePreview>> {
        if self.settings().await != ServerChoice::Embedded {
            return Err(embedded_only());
        }
        let source = match automatic {
            Some(name) => backups::automatic(&self.data_dir, &name)
                .ok_or_else(|| CommandError::rejected(format!("There is no backup called {name}.")))?,
            None => match self.pick(None, FileKind::Backup).await? {
                Some(path) => path,
                None => return Ok(None),
            },
        };
        let (dir, file) = (self.data_dir.clone(), source.display().to_string());
        let (candidate, info) = blocking(move || backups::stage_restore(&dir, &source)).await?;
        *lock(&self.files.restore) = Some(candidate);
        Ok(Some(RestorePreview { file, accounts: info.accounts, tasks: info.tasks }))
    }

    /// Restores the backup checked by [`Desktop::choose_restore`]: the database as it is now is
    /// kept beside it first, the session ends (the backup's sessions are another moment's).
    pub async fn confirm_restore(&self) -> Result<SignedOut> {
        let candidate =
            lock(&self.files.restore).take().ok_or_else(|| CommandError::rejected("Choose a backup first."))?;
        // Held throughout: no switch of server, and no second restore, meanwhile.
        let live = self.live.write().await;
        let Some(store) = live.store.clone() else { return Err(embedded_only()) };
        let (dir, kept) = (self.data_dir.clone(), backups::kept_before_restore(&self.data_dir, Utc::now()));
        blocking(move || backups::copy_database(&dir, &kept).map(drop)).await?;
        let signed_out = self.sign_out(&live.server, &live.client, Leftover::Remove).await?;
        let restored = store.restore_from(&candidate).await.map_err(backups::refused);
        let _ = std::fs::remove_file(&candidate);
        restored?;
        Ok(signed_out.unwrap_or(SignedOut { ended_on_server: true }))
    }

    /// Writes the export to a file the user picks: the server's account export (JSON), or the
    /// tasks as this app shows them (CSV). Personal data: the file is this user's alone.
    pub async fn export_data(&self, format: ExportFormat) -> Result<Option<String>> {
        let bytes = match format {
            ExportFormat::Json => {
                self.authed(|client, token| async move { client.export_account(&token).await }).await?
            }
            ExportFormat::Csv => tasks_file::csv(&self.list_tasks().await?)?,
        };
        let extension = if format == ExportFormat::Csv { "csv" } else { "json" };
        let name = format!("authdesk-export-{}.{extension}", Utc::now().format("%Y-%m-%d"));
        let kind = FileKind::Export { csv: format == ExportFormat::Csv };
        let Some(dest) = self.pick(Some(name), kind).await? else { return Ok(None) };
        let file = dest.display().to_string();
        blocking(move || Ok(crate::files::write_private(&dest, &bytes)?)).await?;
        Ok(Some(file))
    }

    /// Picks a file to import, reads and checks it whole, and counts what importing it would do.
    pub async fn choose_import(&self) -> Result<Option<ImportPreview>> {
        let Some(path) = self.pick(None, FileKind::Import).await? else { return Ok(None) };
        let file = path.display().to_string();
        let tasks = blocking(move || tasks_file::read(&path)).await?;
        let (new, already, conflicts) = tasks_file::preview(&tasks, &self.list_tasks().await?);
        *lock(&self.files.import) = Some(PendingImport { tasks });
        Ok(Some(ImportPreview { file, new, already, conflicts }))
    }

    /// Imports what [`Desktop::choose_import`] read: in remote mode into the outbox (so offline
    /// too), on the embedded server at once, in requests the server takes.
    pub async fn confirm_import(&self) -> Result<ImportDone> {
        let pending = lock(&self.files.import).take().ok_or_else(|| CommandError::rejected("Choose a file first."))?;
        if let Some(replica) = self.replica().await? {
            let (created, unchanged, conflicts) = replica.import(pending.tasks).await?;
            self.changed_here(&replica).await?;
            return Ok(ImportDone { created, unchanged, conflicts, queued: true });
        }
        let mut done = ImportDone { created: 0, unchanged: 0, conflicts: 0, queued: false };
        for batch in pending.tasks.chunks(MAX_IMPORT_TASKS / 10) {
            let req = ImportRequest { tasks: batch.to_vec() };
            let result = self
                .authed(|client, token| {
                    let req = req.clone();
                    async move { client.import_tasks(&token, &req).await }
                })
                .await?;
            done.created += result.created;
            done.unchanged += result.unchanged;
            done.conflicts += result.conflicts.len() as u64;
        }
        Ok(done)
    }
}
