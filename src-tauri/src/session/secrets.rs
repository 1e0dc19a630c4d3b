//! Where the refresh token lives: the OS keychain (macOS Keychain, Windows Credential Manager,
//! Secret Service on Linux) when one answers, else a file of its own in the data folder (0600).

use std::io;
use std::path::{Path, PathBuf};

use crate::files::write_private;

/// The refresh token's file in the data folder, when no keychain keeps it.
pub const REFRESH_TOKEN_FILE: &str = "refresh-token";

/// One secret slot.
pub trait SecretSlot: Send + Sync {
    fn get(&self) -> Option<String>;
    /// `false` when the secret could not be stored here (the caller falls back to the file).
    fn set(&self, secret: &str) -> bool;
    fn delete(&self);
    /// For Settings: where the secret is kept.
    fn describe(&self) -> &'static str;
}

/// The OS keychain entry of this data folder, if a keychain answers.
pub struct Keychain(keyring::Entry);

impl Keychain {
    pub fn open(data_dir: &Path) -> Option<Self> {
        // One entry per data folder, so profiles (and tests) never share a token.
        let entry = keyring::Entry::new("authdesk refresh token", &data_dir.display().to_string()).ok()?;
        match entry.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Some(Self(entry)),
            // No Secret Service on the bus, locked keychain, …: not available here.
            Err(_) => None,
        }
    }
}

impl SecretSlot for Keychain {
    fn get(&self) -> Option<String> {
        self.0.get_password().ok()
    }

    fn set(&self, secret: &str) -> bool {
        self.0.set_password(secret).is_ok()
    }

    fn delete(&self) {
        let _ = self.0.delete_credential();
    }

    fn describe(&self) -> &'static str {
        authdesk_contract::desktop::TOKEN_IN_KEYCHAIN
    }
}

pub use authdesk_contract::desktop::TOKEN_IN_DATA_FOLDER as IN_DATA_FOLDER;

/// The refresh token's file when no keychain answers (or it refuses the token): 0600, and apart
/// from the store plugin's files, whose every change the plugin announces in events a webview can
/// listen to.
pub struct SecretFile(PathBuf);

impl SecretFile {
    pub fn new(path: PathBuf) -> Self {
        Self(path)
    }

    pub fn get(&self) -> Option<String> {
        let secret = std::fs::read_to_string(&self.0).ok()?;
        Some(secret.trim().to_owned()).filter(|s| !s.is_empty())
    }

    pub fn set(&self, secret: &str) -> io::Result<()> {
        write_private(&self.0, secret.as_bytes())
    }

    pub fn delete(&self) -> io::Result<()> {
        crate::files::remove_if_present(&self.0)
    }
}
