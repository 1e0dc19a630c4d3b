//! The UI's words, in the user's language: every text comes from `ui/locales/<language>/*.ftl`
//! through [`t!`] (Fluent, with the language's plural rules), and dates and numbers go through
//! the webview's `Intl` ([`intl`]). The language is the shell's choice (the system's, or the one
//! picked in Settings); a component that words something re-renders when it changes.

pub mod errors;
pub mod intl;
pub mod words;

use std::cell::RefCell;

use authdesk_i18n::Catalog;
pub use authdesk_i18n::{FluentArgs, Language};
use dioxus::prelude::*;

/// The current language; read by every text, so changing it re-words the app.
static LANGUAGE: GlobalSignal<Language> = Signal::global(intl::browser_language);

thread_local! {
    /// The catalog of the current language, built when first needed after a change.
    static CATALOG: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// Every message file, per language folder (one file per area of the app).
macro_rules! message_files {
    ($folder:literal) => {
        &[
            include_str!(concat!("../../locales/", $folder, "/common.ftl")),
            include_str!(concat!("../../locales/", $folder, "/errors.ftl")),
            include_str!(concat!("../../locales/", $folder, "/signing-in.ftl")),
            include_str!(concat!("../../locales/", $folder, "/tasks.ftl")),
            include_str!(concat!("../../locales/", $folder, "/account.ftl")),
            include_str!(concat!("../../locales/", $folder, "/admin.ftl")),
            include_str!(concat!("../../locales/", $folder, "/data.ftl")),
        ]
    };
}

fn files(language: Language) -> &'static [&'static str] {
    match language {
        Language::English | Language::Pseudo => message_files!("en"),
        Language::German => message_files!("de"),
        Language::Spanish => message_files!("es"),
    }
}

pub fn language() -> Language {
    *LANGUAGE.read()
}

/// The current language, without re-rendering anything when it changes.
fn language_untracked() -> Language {
    *LANGUAGE.peek()
}

/// Switches the app's words (and the page's `lang`, which screen readers pronounce by).
pub fn set_language(language: Language) {
    if *LANGUAGE.peek() != language {
        *LANGUAGE.write() = language;
    }
    intl::set_page_language(language);
}

/// The message `id` in the current language (see [`t!`]).
pub fn text(id: &str, args: Option<&FluentArgs>) -> String {
    let language = language();
    CATALOG.with(|catalog| {
        let mut catalog = catalog.borrow_mut();
        if catalog.as_ref().is_none_or(|c| c.language() != language) {
            *catalog = Some(Catalog::new(language, files(language), Some(intl::format_number)));
        }
        catalog.as_ref().expect("just built").text(id, args)
    })
}

/// A message in the current language: `t!("tasks-count", count = n)`. Arguments are Fluent
/// values (numbers select plural forms; they are written with the language's digits).
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::text($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $value); )+
        $crate::i18n::text($id, Some(&args))
    }};
}
