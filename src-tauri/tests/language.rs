//! The app's language: chosen in Settings (kept across launches, reported to the UI), back to the
//! system's, an unknown one refused; and the shell's own words (its file dialogs) follow it.

use std::sync::{Arc, Mutex};

use authdesk_desktop::data::{Dialog, FilePicker};
use authdesk_desktop::{Desktop, ErrorKind};

/// A dialog that remembers what it was asked to show, and is cancelled.
#[derive(Default)]
struct Recording(Mutex<Vec<Dialog>>);

impl FilePicker for Recording {
    fn save(&self, _suggested_name: &str, dialog: &Dialog) -> Option<std::path::PathBuf> {
        self.0.lock().unwrap().push(dialog.clone());
        None
    }

    fn open(&self, dialog: &Dialog) -> Option<std::path::PathBuf> {
        self.0.lock().unwrap().push(dialog.clone());
        None
    }
}

#[tokio::test]
async fn a_chosen_language_is_kept_and_its_words_are_the_shells_too() {
    let dir = tempfile::tempdir().unwrap();
    let app = Desktop::open_with_files(dir.path().to_owned()).await.unwrap();
    assert_eq!(app.app_info().await.language_choice, None, "the system's until one is chosen");

    assert_eq!(app.set_language(Some("de-AT")).unwrap().tag(), "de");
    let info = app.app_info().await;
    assert_eq!((info.language.as_str(), info.language_choice.as_deref()), ("de", Some("de")));

    // The save dialog of a backup is titled in German.
    let dialogs = Arc::new(Recording::default());
    app.use_picker(dialogs.clone());
    assert!(app.back_up_now().await.unwrap().is_none(), "cancelled");
    let shown = dialogs.0.lock().unwrap().pop().expect("a dialog was shown");
    assert_eq!(shown.title, "authdesk-Sicherung");
    assert_eq!(shown.filter.0, "authdesk-Sicherung");

    // Kept for the next launch.
    drop(app);
    let app = Desktop::open_with_files(dir.path().to_owned()).await.unwrap();
    assert_eq!(app.app_info().await.language, "de");

    // A language the app does not speak (or the testing pseudo-locale) is refused; nothing changes.
    for unknown in ["fr", "en-XA", ""] {
        let refused = app.set_language(Some(unknown)).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::Rejected, "{unknown:?}");
        assert_eq!(app.app_info().await.language_choice.as_deref(), Some("de"));
    }

    // Back to the system's language.
    app.set_language(None).unwrap();
    assert_eq!(app.app_info().await.language_choice, None);
}
