//! The authdesk desktop shell's logic, testable without a window: [`Desktop`] is the facade the
//! Tauri commands call (`desktop/`, one file per area); below it, the authenticated caller and
//! the stored session (`session/`), remote mode's sync engine and replica (`sync/`), and one
//! client over the embedded or a remote server (`client/`). `main.rs` and `commands/` only expose
//! the facade's methods as Tauri commands, whose argument, answer and error types are in
//! [`authdesk_contract::desktop`], shared with the UI.

pub mod client;
pub mod data;
mod desktop;
pub mod files;
pub mod session;
pub mod settings;
pub mod sync;
pub mod words;

pub use authdesk_contract::desktop::{
    AppInfo, CommandError, ErrorKind, ServerChoice, SettingsSaved, SignInStep, SignedOut,
};

pub use client::Client;
pub use desktop::{forced_theme, Desktop, OpenOptions};
pub use files::{JsonFile, KeyValueFile};
pub use session::secrets::REFRESH_TOKEN_FILE;
pub use session::{Session, SessionKeeper};
pub use settings::Settings;
pub use sync::SyncOptions;

pub type Result<T, E = CommandError> = std::result::Result<T, E>;

/// The environment variable that overrides the data directory (tests use it).
pub const DATA_DIR_ENV: &str = "AUTHDESK_DATA_DIR";
pub const SETTINGS_FILE: &str = "settings.json";
pub const SESSION_FILE: &str = "session.json";
/// What the UI shows on the sign-in screen after a 401 from a protected call.
pub use authdesk_contract::desktop::SESSION_EXPIRED;
