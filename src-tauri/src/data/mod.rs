//! Your data, below the facade: the embedded database's backups ([`backups`]), the files tasks are
//! exported to and imported from ([`tasks_file`]), and the state of a move to a team server
//! ([`moving`]). None of it knows the window: files are picked through a [`FilePicker`].

pub mod backups;
pub mod moving;
pub mod tasks_file;

use std::path::PathBuf;

use authdesk_i18n::Catalog;

/// The shell's own file dialogs (the app: Tauri's dialog plugin; tests: fixed answers). Blocking:
/// called off the async runtime. `None`: the user cancelled.
pub trait FilePicker: Send + Sync {
    /// A file to write, the name suggested first.
    fn save(&self, suggested_name: &str, dialog: &Dialog) -> Option<PathBuf>;
    /// A file to read.
    fn open(&self, dialog: &Dialog) -> Option<PathBuf>;
}

/// What a dialog is for: its title and the extensions it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Backup,
    Export { csv: bool },
    Import,
}

/// A dialog as the user sees it, in the app's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub title: String,
    /// The filter's name and the extensions it offers.
    pub filter: (String, &'static [&'static str]),
}

impl FileKind {
    pub fn dialog(self, words: &Catalog) -> Dialog {
        let title = match self {
            FileKind::Backup => words.text("dialog-backup", None),
            FileKind::Export { .. } => words.text("dialog-export", None),
            FileKind::Import => words.text("dialog-import", None),
        };
        let filter: (String, &'static [&'static str]) = match self {
            FileKind::Backup => (words.text("filter-backup", None), &["db", "sqlite3"]),
            FileKind::Export { csv: false } => ("JSON".into(), &["json"]),
            FileKind::Export { csv: true } => ("CSV".into(), &["csv"]),
            FileKind::Import => (words.text("filter-import", None), &["json", "csv"]),
        };
        Dialog { title, filter }
    }
}

/// The picker of the end-to-end tests (`AUTHDESK_TEST_DIALOGS=<dir>`), where no native dialog can
/// be driven: a save goes to `<dir>/<suggested name>`, an open reads the path written in
/// `<dir>/open` (and consumes it; without it, the dialog is "cancelled").
pub struct FolderPicker(pub PathBuf);

impl FilePicker for FolderPicker {
    fn save(&self, suggested_name: &str, _dialog: &Dialog) -> Option<PathBuf> {
        Some(self.0.join(suggested_name))
    }

    fn open(&self, _dialog: &Dialog) -> Option<PathBuf> {
        let answer = self.0.join("open");
        let chosen = std::fs::read_to_string(&answer).ok()?;
        let _ = std::fs::remove_file(&answer);
        Some(PathBuf::from(chosen.trim()))
    }
}

/// [`FolderPicker`] when `AUTHDESK_TEST_DIALOGS` names a folder.
pub fn test_picker_from_env() -> Option<FolderPicker> {
    std::env::var_os("AUTHDESK_TEST_DIALOGS").filter(|d| !d.is_empty()).map(|d| FolderPicker(PathBuf::from(d)))
}
