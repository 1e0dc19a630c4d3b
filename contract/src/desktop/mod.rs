//! What the desktop shell (`src-tauri`) and its UI (`ui`, wasm) say to each other: the commands
//! with their arguments and answers ([`commands`]), the one error a command fails with
//! ([`CommandError`]), and the values those carry. The shell serialises these very types and the UI
//! deserialises them, so the two cannot drift apart.
//!
//! The server never sees any of this; its wire types are in [`crate::wire`].

pub mod commands;
pub mod data;
mod error;
mod sync;

use serde::{Deserialize, Serialize};

use crate::wire::MeResponse;

pub use commands::Command;
pub use error::{CommandError, CommandResult, ErrorKind};
pub use sync::{SyncState, SyncStatus, WaitingChanges};

/// What the shell says when the server refused the session and a refresh did not help; the UI
/// says the same when the sync loop finds it so.
pub const SESSION_EXPIRED: &str = "Your session has expired — please sign in again";

/// Where the refresh token is kept ([`AppInfo::token_storage`]): the UI words each.
pub const TOKEN_IN_KEYCHAIN: &str = "the system keychain";
pub const TOKEN_IN_DATA_FOLDER: &str = "the app's data folder, readable only by you";

/// Which auth server the app talks to: the user's setting. Persisted as it serialises
/// (`{"kind": "embedded"}` or `{"kind": "remote", "url": …}`) in `settings.json` and with the
/// session, so its tags never change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServerChoice {
    /// The auth server runs inside the app on a local SQLite file.
    #[default]
    Embedded,
    /// A server elsewhere, `https://` (or `http://` on loopback).
    Remote { url: String },
}

impl ServerChoice {
    /// How the screens name it: "Embedded server (this computer)" or the URL.
    pub fn describe(&self) -> String {
        match self {
            ServerChoice::Embedded => "Embedded server (this computer)".into(),
            ServerChoice::Remote { url } => url.clone(),
        }
    }
}

/// What a sign-in with the right password (or a sign-up) led to: signed in, the account asks for
/// its second factor first (the shell keeps the sign-in's challenge; `verify_second_factor`
/// completes it), or its address waits for the mailed code (`verify_email` completes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "next", rename_all = "snake_case")]
pub enum SignInStep {
    /// Signed in: who, as `GET /api/auth/me` describes the account.
    SignedIn {
        user: MeResponse,
    },
    SecondFactor {
        email: String,
    },
    /// The address must be verified first: the server mailed a code (or will, on request).
    VerifyEmail {
        email: String,
    },
}

/// A TOTP secret being set up: as text to type into an authenticator app, as the `otpauth://` URL,
/// and as an SVG QR code of that URL (rendered by the shell, no network).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrollment {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// What signing out did. The session is forgotten on this computer either way; the server may
/// not have heard of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedOut {
    /// The server confirmed the session has ended (or showed it was over already). `false` when it
    /// could not be reached, or refused for another reason: the session lives on there until it
    /// expires.
    pub ended_on_server: bool,
}

impl SignedOut {
    /// What to tell the user when the server did not end the session; `None` when all is done.
    pub fn warning(&self) -> Option<&'static str> {
        (!self.ended_on_server).then_some(
            "Signed out on this computer, but the server could not be told to end the session. It ends by itself \
             once unused for the server's sign-in lifetime (30 days by default), or sign out everywhere from \
             another device.",
        )
    }
}

/// What `set_settings` did: the server now chosen (normalised), and how signing out of the old
/// one went when a session had to end (`None`: there was none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsSaved {
    pub server: ServerChoice,
    pub signed_out: Option<SignedOut>,
}

/// The About section of Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub server: ServerChoice,
    /// "light" or "dark" when forced with `AUTHDESK_THEME` (screenshots); else the system's.
    pub theme: Option<String>,
    /// Where the refresh token is kept: "the system keychain" or the data folder.
    pub token_storage: String,
    /// The embedded server's database file, when the embedded server is in use: where
    /// `authdesk-server admin reset-code` finds the accounts of this computer.
    #[serde(default)]
    pub embedded_database: Option<String>,
    /// The language the app speaks (a BCP 47 tag: "en", "de", "es", or the pseudo-locale
    /// "en-XA"): the one chosen in Settings, else the system's.
    #[serde(default)]
    pub language: String,
    /// The language chosen in Settings; `None` follows the system's.
    #[serde(default)]
    pub language_choice: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `settings.json` and `session.json` written by earlier versions must still load.
    #[test]
    fn the_server_choice_keeps_its_persisted_shape() {
        let remote = ServerChoice::Remote { url: "https://auth.example.com".into() };
        let json = serde_json::json!({"kind": "remote", "url": "https://auth.example.com"});
        assert_eq!(serde_json::to_value(&remote).unwrap(), json);
        assert_eq!(serde_json::from_value::<ServerChoice>(json).unwrap(), remote);
        let embedded = serde_json::json!({"kind": "embedded"});
        assert_eq!(serde_json::from_value::<ServerChoice>(embedded).unwrap(), ServerChoice::Embedded);
    }
}
