//! Where the refresh token lives: the OS keychain (macOS Keychain, Windows Credential Manager,
//! Secret Service on Linux) when one answers, else the session file in the data folder (0600).

use std::path::Path;

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
        "the system keychain"
    }
}

pub const IN_DATA_FOLDER: &str = "the app's data folder, readable only by you";
