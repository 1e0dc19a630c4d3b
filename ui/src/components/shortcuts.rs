//! The keyboard shortcuts (README "Accessibility"), on Ctrl on Windows and Linux and on ⌘ on macOS,
//! none of them taken by the platform for something else in a window like this one:
//! - Ctrl/⌘ + N: a new task (the dashboard, focus in the new task's field);
//! - Ctrl/⌘ + F: search the tasks (focus in the search field of the dashboard);
//! - Ctrl/⌘ + ,: Settings.
//!
//! Escape cancels an edit or a dialog where it has the focus (each handles its own).

use dioxus::prelude::*;
use wasm_bindgen::JsCast;

use crate::Route;

/// What a key press asks for, if it is a shortcut.
pub fn on_key(event: KeyboardEvent) {
    let modifiers = event.modifiers();
    if !(modifiers.ctrl() || modifiers.meta()) || modifiers.alt() || modifiers.shift() {
        return;
    }
    let (route, field) = match event.key() {
        Key::Character(c) if c.eq_ignore_ascii_case("n") => (Route::Dashboard {}, Some("task-input")),
        Key::Character(c) if c.eq_ignore_ascii_case("f") => (Route::Dashboard {}, Some("task-search")),
        Key::Character(c) if c == "," => (Route::Settings {}, None),
        _ => return,
    };
    event.prevent_default();
    if router().current::<Route>() != route {
        navigator().push(route);
    }
    if let Some(field) = field {
        spawn(async move { focus_when_there(field).await });
    }
}

/// Focuses the element `id` once the screen showing it is in the page (a few frames at most).
pub async fn focus_when_there(id: &'static str) {
    for _ in 0..20 {
        let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
            return;
        }
        crate::api::sleep(25).await;
    }
}
