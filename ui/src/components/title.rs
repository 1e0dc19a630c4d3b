//! The page title names the screen, and the shell makes the window title follow it, so the
//! taskbar and the window switcher say where the user is. (Dioxus's `document::Title` evaluates
//! JavaScript, which the app's content security policy forbids.)

use dioxus::prelude::*;

/// Sets the page title to "`screen` · authdesk" as the screen first renders (its elements and
/// handlers go into the page in the same pass).
pub fn use_screen_title(screen: &'static str) {
    use_hook(move || {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{screen} · authdesk"));
        }
    });
}
