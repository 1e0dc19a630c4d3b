//! Dates, times and numbers as the user's language writes them, through the webview's own
//! `Intl` (its locale data costs the wasm nothing), and the page's `lang`.

use authdesk_i18n::{FluentValue, Language};
use chrono::{DateTime, Utc};
use wasm_bindgen::JsValue;

/// The locale `Intl` formats with (the pseudo-locale's dates and numbers are English).
fn intl_locale() -> js_sys::Array {
    let tag = match super::language_untracked() {
        Language::Pseudo => "en",
        language => language.tag(),
    };
    js_sys::Array::of1(&JsValue::from_str(tag))
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
    let format = js_sys::Intl::NumberFormat::new(&intl_locale(), &js_sys::Object::new());
    format.format().call1(&JsValue::NULL, &JsValue::from_f64(number.value)).ok()?.as_string()
}

/// A moment, in the user's time zone and language: "6 Dec 2026, 21:40", "06.12.2026, 21:40".
pub fn format_time(t: DateTime<Utc>) -> String {
    // The pseudo-locale's are all digits, so that a word on its screens came from a message.
    let date_style = if super::language_untracked() == Language::Pseudo { "short" } else { "medium" };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &date_style.into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let format = js_sys::Intl::DateTimeFormat::new(&intl_locale(), &options);
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    format.format().call1(&JsValue::NULL, &date).ok().and_then(|s| s.as_string()).unwrap_or_else(|| t.to_rfc3339())
}
