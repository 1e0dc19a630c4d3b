//! Which server the app talks to, persisted in `settings.json`.

use authdesk_contract::desktop::ServerChoice;
use authdesk_i18n::Language;

use crate::client::normalize_remote_url;
use crate::files::KeyValueFile;
use crate::Result;

/// The key in `settings.json`; kept from earlier versions so their settings still load.
const KEY: &str = "backend";
/// The language chosen in Settings (its tag); absent: the system's.
const LANGUAGE_KEY: &str = "language";

/// Checks and normalises a remote URL; embedded needs nothing.
pub fn validated(server: ServerChoice) -> Result<ServerChoice> {
    match server {
        ServerChoice::Embedded => Ok(ServerChoice::Embedded),
        ServerChoice::Remote { url } => Ok(ServerChoice::Remote { url: normalize_remote_url(&url)? }),
    }
}

pub struct Settings {
    file: Box<dyn KeyValueFile>,
}

impl Settings {
    pub fn new(file: Box<dyn KeyValueFile>) -> Self {
        Self { file }
    }

    /// The saved server; the embedded one when nothing (or nothing valid) is saved.
    pub fn server(&self) -> ServerChoice {
        self.file
            .get(KEY)
            .and_then(|v| serde_json::from_value::<ServerChoice>(v).ok())
            .and_then(|s| validated(s).ok())
            .unwrap_or_default()
    }

    pub fn set_server(&self, server: &ServerChoice) -> Result<()> {
        let value = serde_json::to_value(server).expect("a setting always serialises");
        Ok(self.file.set(KEY, value)?)
    }

    /// The language chosen in Settings, if one is (and is one the app speaks).
    pub fn language(&self) -> Option<Language> {
        self.file.get(LANGUAGE_KEY)?.as_str().and_then(Language::from_tag)
    }

    pub fn set_language(&self, language: Option<Language>) -> Result<()> {
        let value = language.map_or(serde_json::Value::Null, |l| l.tag().into());
        Ok(self.file.set(LANGUAGE_KEY, value)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::JsonFile;

    /// A `settings.json` written by an earlier version still loads, and is written back the same.
    #[test]
    fn an_earlier_settings_file_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let earlier = serde_json::json!({"backend": {"kind": "remote", "url": "http://127.0.0.1:8000"}});
        std::fs::write(&path, earlier.to_string()).unwrap();
        let settings = Settings::new(Box::new(JsonFile::open(&path).unwrap()));
        let server = settings.server();
        assert_eq!(server, ServerChoice::Remote { url: "http://127.0.0.1:8000".into() });
        settings.set_server(&server).unwrap();
        let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(written, earlier);
    }
}
