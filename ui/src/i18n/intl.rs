//! Dates, times and numbers as the user's language writes them, through the webview's own
//! `Intl` (its locale data costs the wasm nothing), and the page's `lang`.

use std::cell::RefCell;

use authdesk_i18n::{FluentValue, Language};
use chrono::{DateTime, Utc};
use wasm_bindgen::JsValue;

/// The language's two formatters, made once per language (an `Intl` formatter is costly to make,
/// and a screen such as the audit log writes a time per row).
struct Formatters {
    language: Language,
    number: js_sys::Intl::NumberFormat,
    time: js_sys::Intl::DateTimeFormat,
}

thread_local! {
    static FORMATTERS: RefCell<Option<Formatters>> = const { RefCell::new(None) };
}

/// Formats with the current language's formatters (the pseudo-locale's are English, its times all
/// digits, so that a word on its screens came from a message).
fn with_formatters<T>(f: impl FnOnce(&Formatters) -> T) -> T {
    let language = super::language_untracked();
    FORMATTERS.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|made| made.language != language) {
            let tag = if language == Language::Pseudo { "en" } else { language.tag() };
            let locale = js_sys::Array::of1(&JsValue::from_str(tag));
            let options = js_sys::Object::new();
            let date_style = if language == Language::Pseudo { "short" } else { "medium" };
            let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &date_style.into());
            let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
            *cell = Some(Formatters {
                language,
                number: js_sys::Intl::NumberFormat::new(&locale, &js_sys::Object::new()),
                time: js_sys::Intl::DateTimeFormat::new(&locale, &options),
            });
        }
        f(cell.as_ref().expect("just made"))
    })
}

/// The language the webview was started in (the system's), until the shell says which.
pub fn browser_language() -> Language {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return Language::default() };
    let languages: Vec<String> = navigator.languages().iter().filter_map(|l| l.as_string()).collect();
    Language::negotiate(languages.iter().map(String::as_str))
}

pub fn set_page_language(language: Language) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", language.tag());
    }
}

/// A number in a message: "1,234" in English, "1.234" in German.
pub fn format_number(value: &FluentValue, _: &authdesk_i18n::Memoizer) -> Option<String> {
    let FluentValue::Number(number) = value else { return None };
    let written = with_formatters(|f| f.number.format().call1(&JsValue::NULL, &JsValue::from_f64(number.value)));
    written.ok()?.as_string()
}

/// A moment, in the user's time zone and language: "6 Dec 2026, 21:40", "06.12.2026, 21:40".
pub fn format_time(t: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    let written = with_formatters(|f| f.time.format().call1(&JsValue::NULL, &date));
    written.ok().and_then(|s| s.as_string()).unwrap_or_else(|| t.to_rfc3339())
}
