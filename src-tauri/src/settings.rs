//! Which backend the app talks to, persisted in `settings.json`.

use serde::{Deserialize, Serialize};

use crate::client::normalize_remote_url;
use crate::error::Result;
use crate::store::KeyValue;

const KEY: &str = "backend";

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackendSetting {
    /// The auth server runs inside the app on a local SQLite file.
    #[default]
    Embedded,
    /// A server elsewhere, `https://` (or `http://` on loopback).
    Remote { url: String },
}

impl BackendSetting {
    /// Checks and normalises a remote URL; embedded needs nothing.
    pub fn validated(self) -> Result<Self> {
        match self {
            BackendSetting::Embedded => Ok(BackendSetting::Embedded),
            BackendSetting::Remote { url } => Ok(BackendSetting::Remote { url: normalize_remote_url(&url)? }),
        }
    }
}

pub struct Settings {
    store: Box<dyn KeyValue>,
}

impl Settings {
    pub fn new(store: Box<dyn KeyValue>) -> Self {
        Self { store }
    }

    /// The saved backend; the embedded one when nothing (or nothing valid) is saved.
    pub fn backend(&self) -> BackendSetting {
        self.store
            .get(KEY)
            .and_then(|v| serde_json::from_value::<BackendSetting>(v).ok())
            .and_then(|b| b.validated().ok())
            .unwrap_or_default()
    }

    pub fn set_backend(&self, backend: &BackendSetting) -> Result<()> {
        let value = serde_json::to_value(backend).expect("a setting always serialises");
        Ok(self.store.set(KEY, value)?)
    }
}
