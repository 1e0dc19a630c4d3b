//! The native save and open dialogs of Your data (Tauri's dialog plugin), titled and filtered
//! for what they are for; `AUTHDESK_TEST_DIALOGS` replaces them in the end-to-end tests.

use std::path::PathBuf;

use authdesk_desktop::data::{Dialog, FilePicker};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

pub struct NativeDialogs(pub AppHandle);

impl NativeDialogs {
    fn dialog(&self, dialog: &Dialog) -> tauri_plugin_dialog::FileDialogBuilder<tauri::Wry> {
        let (name, extensions) = &dialog.filter;
        self.0.dialog().file().set_title(&dialog.title).add_filter(name, extensions)
    }
}

impl FilePicker for NativeDialogs {
    fn save(&self, suggested_name: &str, dialog: &Dialog) -> Option<PathBuf> {
        self.dialog(dialog).set_file_name(suggested_name).blocking_save_file()?.into_path().ok()
    }

    fn open(&self, dialog: &Dialog) -> Option<PathBuf> {
        self.dialog(dialog).blocking_pick_file()?.into_path().ok()
    }
}
