//! The shell's own words (the titles and filters of its file dialogs) in the app's language, from
//! `src-tauri/locales/<language>/shell.ftl`; and which language that is.

use authdesk_i18n::{Catalog, Language};

/// Overrides the language (a tag; `en-XA` is the pseudo-locale the end-to-end run looks at).
pub const LANGUAGE_ENV: &str = "AUTHDESK_LANGUAGE";

pub fn catalog(language: Language) -> Catalog {
    let file = match language {
        Language::English | Language::Pseudo => include_str!("../locales/en/shell.ftl"),
        Language::German => include_str!("../locales/de/shell.ftl"),
        Language::Spanish => include_str!("../locales/es/shell.ftl"),
    };
    Catalog::new(language, &[file], None)
}

/// The language the app speaks: `AUTHDESK_LANGUAGE`, else the one chosen in Settings, else the
/// first of the system's the app knows, else English.
pub fn language(chosen: Option<Language>) -> Language {
    let forced = std::env::var(LANGUAGE_ENV).ok().and_then(|tag| Language::from_tag(&tag));
    forced.or(chosen).unwrap_or_else(|| {
        let system: Vec<String> = sys_locale::get_locales().collect();
        Language::negotiate(system.iter().map(String::as_str))
    })
}
