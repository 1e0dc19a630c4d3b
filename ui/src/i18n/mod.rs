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
use wasm_bindgen::prelude::*;

/// The current language; read by every text, so changing it re-words the app.
static LANGUAGE: GlobalSignal<Language> = Signal::global(intl::browser_language);

thread_local! {
    /// The catalog of the current language, built when first needed after a change.
    static CATALOG: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// English's message files, one per area of the app: compiled in (the first screen's words, and
/// what a language whose messages could not be read falls back to).
const ENGLISH: &[&str] = &[
    include_str!("../../locales/en/common.ftl"),
    include_str!("../../locales/en/errors.ftl"),
    include_str!("../../locales/en/signing-in.ftl"),
    include_str!("../../locales/en/tasks.ftl"),
    include_str!("../../locales/en/account.ftl"),
    include_str!("../../locales/en/admin.ftl"),
    include_str!("../../locales/en/data.ftl"),
];

thread_local! {
    /// The other languages' messages, each fetched the first time it is spoken:
    /// `locales/<tag>.ftl` beside the wasm (scripts/build-wasm.sh joins a folder's files into it).
    /// Kept for the app's life: a language is chosen a few times at most.
    static FETCHED: RefCell<Vec<(Language, &'static str)>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen(inline_js = "export async function fetchText(url) {
    const answer = await fetch(url);
    if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
    return answer.text();
}")]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetchText)]
    async fn fetch_text(url: &str) -> Result<JsValue, JsValue>;
}

fn fetched(language: Language) -> Option<&'static str> {
    FETCHED.with(|f| f.borrow().iter().find(|(l, _)| *l == language).map(|(_, text)| *text))
}

/// Whether `language`'s words are here: English's always, another's once fetched.
async fn ensure_messages(language: Language) -> Result<(), String> {
    if matches!(language, Language::English | Language::Pseudo) || fetched(language).is_some() {
        return Ok(());
    }
    let text = fetch_text(&format!("locales/{}.ftl", language.folder()))
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .ok_or("not text")?;
    // Two switches to the same language may both have fetched it: the first kept is the one.
    if fetched(language).is_none() {
        FETCHED.with(|f| f.borrow_mut().push((language, Box::leak(text.into_boxed_str()))));
    }
    Ok(())
}

fn catalog(language: Language) -> Catalog {
    let formatter = Some(intl::format_number as authdesk_i18n::Formatter);
    match fetched(language) {
        Some(text) => Catalog::new(language, &[text], formatter),
        None => Catalog::new(language, ENGLISH, formatter),
    }
}

pub fn language() -> Language {
    *LANGUAGE.read()
}

/// The current language, without re-rendering anything when it changes.
fn language_untracked() -> Language {
    *LANGUAGE.peek()
}

/// Switches the app's words (and the page's `lang`, which screen readers pronounce by), once the
/// language's messages are here; until then the app keeps speaking the one it spoke.
pub async fn set_language(language: Language) {
    let language = match ensure_messages(language).await {
        Ok(()) => language,
        Err(e) => {
            web_sys::console::error_1(&format!("the {} messages could not be read: {e}", language.tag()).into());
            Language::English
        }
    };
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
            *catalog = Some(self::catalog(language));
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
