//! The native save and open dialogs of Your data (Tauri's dialog plugin), titled and filtered
//! for what they are for; `AUTHDESK_TEST_DIALOGS` replaces them in the end-to-end tests.

use std::path::PathBuf;

use authdesk_desktop::data::{FileKind, FilePicker};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

pub struct NativeDialogs(pub AppHandle);

impl NativeDialogs {
    fn dialog(&self, kind: FileKind) -> tauri_plugin_dialog::FileDialogBuilder<tauri::Wry> {
        let (name, extensions) = kind.filter();
        self.0.dialog().file().set_title(kind.title()).add_filter(name, extensions)
    }
}

impl FilePicker for NativeDialogs {
    fn save(&self, suggested_name: &str, kind: FileKind) -> Option<PathBuf> {
        self.dialog(kind).set_file_name(suggested_name).blocking_save_file()?.into_path().ok()
    }

    fn open(&self, kind: FileKind) -> Option<PathBuf> {
        self.dialog(kind).blocking_pick_file()?.into_path().ok()
    }
}
