//! Your data, as the desktop app offers it: backups of the embedded database, export and import
//! of the tasks, and the move from this computer to a team server. Files are always chosen in
//! the shell's own dialogs: the webview names no path, so it can neither read nor write a file of
//! its choosing.

use serde::{Deserialize, Serialize};

use super::commands::command;
use super::{SettingsSaved, SignedOut};

/// One automatic (or the latest on-demand) backup in the data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEntry {
    pub name: String,
    /// RFC 3339, UTC.
    pub made_at: String,
    pub bytes: u64,
}

/// The "Your data" screen's facts: what this mode offers, the backups kept, a move under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataOverview {
    /// Backups and the move to a team server are for the embedded server's database.
    pub embedded: bool,
    pub backups: Vec<BackupEntry>,
    /// Where the automatic backups are kept.
    pub backups_dir: String,
    /// Why the last automatic backup failed (until one works).
    pub backup_problem: Option<String>,
    pub moving: Option<MoveProgress>,
}

/// A backup just written, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupMade {
    pub file: String,
    pub tasks: i64,
}

/// A file picked to restore, checked, not yet restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestorePreview {
    pub file: String,
    pub accounts: i64,
    pub tasks: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The server's account export: the account, its tasks, sessions and own audit events.
    Json,
    /// The tasks only: id, title, completed, created_at, updated_at.
    Csv,
}

/// What an import will do (counted against the tasks as they are now), before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file: String,
    pub new: u64,
    pub already: u64,
    pub conflicts: u64,
}

/// What an import did. In remote mode `queued` tasks wait in the outbox like any edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDone {
    pub created: u64,
    pub unchanged: u64,
    pub conflicts: u64,
    pub queued: bool,
}

/// A move of this computer's tasks to a team server: the tasks are uploaded with their ids in
/// batches, so a move cut off anywhere resumes without doubles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveProgress {
    pub server: String,
    pub total: u64,
    pub uploaded: u64,
    /// Titles of the tasks the server refused (an id another account holds, or other content
    /// under the same id): they stay in the local database.
    pub refused: Vec<String>,
    pub done: bool,
}

/// What Your data shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetDataOverview;
command!(GetDataOverview, "data_overview" => DataOverview);

/// Backs the embedded database up to a file picked in a save dialog; `None` when cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackUpNow;
command!(BackUpNow, "back_up_now" => Option<BackupMade>);

/// Picks a backup (or one of the automatic ones, by name) and checks it; `None` when cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChooseRestore {
    #[serde(default)]
    pub automatic: Option<String>,
}
command!(ChooseRestore, "choose_restore" => Option<RestorePreview>);

/// Restores the file checked by [`ChooseRestore`]: the current database is kept beside it, the
/// session ends, the app signs in again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmRestore;
command!(ConfirmRestore, "confirm_restore" => SignedOut);

/// Writes the export to a file picked in a save dialog; the file's name, or `None` when cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportData {
    pub format: ExportFormat,
}
command!(ExportData, "export_data" => Option<String>);

/// Picks a file to import (an authdesk export, or a CSV with a `title` column) and counts what it
/// would do; `None` when cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChooseImport;
command!(ChooseImport, "choose_import" => Option<ImportPreview>);

/// Imports the file counted by [`ChooseImport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmImport;
command!(ConfirmImport, "confirm_import" => ImportDone);

/// Starts moving this computer's tasks to the team server at `url`: they are put aside, the app
/// switches to that server (the local database stays), and after signing in there
/// [`ContinueMove`] uploads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartMove {
    pub url: String,
}
command!(StartMove, "start_move" => SettingsSaved);

/// The move under way, if any (the dashboard's reminder: no more than that is read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMoveProgress;
command!(GetMoveProgress, "move_progress" => Option<MoveProgress>);

/// Uploads the next batch of a move to the current server (signed in there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinueMove;
command!(ContinueMove, "continue_move" => MoveProgress);

/// Forgets a finished (or abandoned) move; with `remove_local`, the local database too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishMove {
    pub remove_local: bool,
}
command!(FinishMove, "finish_move" => ());
