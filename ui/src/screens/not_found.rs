use dioxus::prelude::*;

use crate::Route;

/// Any other path (e.g. `/index.html` on first load) goes to the start screen.
#[component]
pub fn NotFound(segments: Vec<String>) -> Element {
    let _ = segments;
    let nav = navigator();
    use_effect(move || {
        nav.replace(Route::SignIn {});
    });
    rsx! {}
}
