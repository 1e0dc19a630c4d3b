//! The page title names the screen, and the shell makes the window title follow it, so the
//! taskbar and the window switcher say where the user is. (Dioxus's `document::Title` evaluates
//! JavaScript, which the app's content security policy forbids.)

use dioxus::prelude::*;

/// Sets the page title to "`screen` · authdesk" (`screen` in the user's language, and again when
/// the language changes) as the screen first renders (its elements and
/// handlers go into the page in the same pass). Once it is in the page, focus goes to its first
/// field (the one marked `autofocus`) or else its heading, so that keyboard and screen-reader
/// users start where the screen starts (HTML's own `autofocus` acts on page load only, and this
/// app never loads another page).
pub fn use_screen_title(screen: fn() -> String) {
    // A memo reads the language, so the title follows it; it is set in the first render's pass.
    let title = use_memo(screen);
    use_hook(move || set_title(&title.peek()));
    use_effect(move || set_title(&title()));
    use_effect(focus_screen_start);
}

fn set_title(screen: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&crate::t!("window-title", screen = screen));
    }
}

fn focus_screen_start() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let find = |selector: &str| document.query_selector(selector).ok().flatten();
    let target = find("main [autofocus]:not([disabled])").or_else(|| {
        let heading = find("main h1")?;
        // A heading takes focus only when asked to, and never from the Tab key.
        let _ = heading.set_attribute("tabindex", "-1");
        Some(heading)
    });
    if let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
