//! The app's languages and its message catalogs (Fluent). The UI (wasm) and the shell (native)
//! each keep their own `.ftl` files per language and build a [`Catalog`] from them; which language
//! a system locale or a setting picks is decided here, once for both.

mod pseudo;

use std::borrow::Cow;

pub use fluent_bundle::{FluentArgs, FluentValue};
use fluent_bundle::{FluentBundle, FluentResource};

/// A language the app speaks. The pseudo-locale is English with every letter accented and each
/// text 40 % longer: text that stays plain in it is not in a message file, and text cut off in
/// it will be cut off in German.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    English,
    German,
    Spanish,
    Pseudo,
}

impl Language {
    /// The languages a user can choose, each with message files of its own (the pseudo-locale,
    /// for testing, is set by its tag and reads the English files).
    pub const CHOICES: [Language; 3] = [Language::English, Language::German, Language::Spanish];

    /// Its BCP 47 tag: what the webview's `Intl` and the page's `lang` take.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::Spanish => "es",
            Language::Pseudo => "en-XA",
        }
    }

    /// Its name in itself, as a language menu shows it whatever the current language.
    pub fn autonym(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
            Language::Spanish => "Español",
            Language::Pseudo => "Ƥşeŭđö",
        }
    }

    /// The folder of its message files (the pseudo-locale has none of its own).
    pub fn folder(self) -> &'static str {
        match self {
            Language::English | Language::Pseudo => "en",
            Language::German => "de",
            Language::Spanish => "es",
        }
    }

    /// The language for a locale tag such as `de-AT`, `es_MX.UTF-8` or `en-XA`: by its primary
    /// subtag; `None` for a language the app does not speak.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let tag = tag.trim().replace('_', "-");
        let tag = tag.split('.').next().unwrap_or_default().to_ascii_lowercase();
        if tag == "en-xa" {
            return Some(Language::Pseudo);
        }
        match tag.split('-').next().unwrap_or_default() {
            "en" => Some(Language::English),
            "de" => Some(Language::German),
            "es" => Some(Language::Spanish),
            _ => None,
        }
    }

    /// The first of `preferred` (the system's locales, most wanted first) the app speaks;
    /// English when none.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Language {
        preferred.into_iter().find_map(Language::from_tag).unwrap_or_default()
    }
}

/// The messages of one language, formatted with that language's plural rules.
pub struct Catalog {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

/// Formats a number in a message for the catalog's language (Fluent's own writes digits without
/// grouping); `None` leaves a value to Fluent.
pub type Formatter = fn(&FluentValue, &Memoizer) -> Option<String>;
/// What a [`Formatter`] is handed besides the value (Fluent's cache of formatters per language).
pub use intl_memoizer::IntlLangMemoizer as Memoizer;

impl Catalog {
    /// A catalog of `files` (the contents of the language's `.ftl` files). A file that does not
    /// parse keeps the messages it could read; the messages test fails on it before a release.
    pub fn new(language: Language, files: &[&str], formatter: Option<Formatter>) -> Catalog {
        let id: unic_langid::LanguageIdentifier = language.folder().parse().expect("a known language tag parses");
        let mut bundle = FluentBundle::new(vec![id]);
        // Left-to-right languages only: no bidi isolation marks around each argument.
        bundle.set_use_isolating(false);
        bundle.set_formatter(formatter);
        if language == Language::Pseudo {
            bundle.set_transform(Some(pseudo::transform));
        }
        for file in files {
            let resource = FluentResource::try_new(file.to_string()).unwrap_or_else(|(partial, _)| partial);
            let _ = bundle.add_resource(resource);
        }
        Catalog { language, bundle }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Formats the message `id` with `args`; a missing message reads as its id, so that it shows.
    pub fn text(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        match self.bundle.format_pattern(pattern, args, &mut errors) {
            Cow::Borrowed(text) => text.to_owned(),
            Cow::Owned(text) => text,
        }
    }
}
