//! The authdesk HTTP contract: what goes over the wire, and the rules both sides enforce.
//!
//! The server, the desktop UI (compiled to wasm) and the tests all depend on this crate, so a
//! field renamed here is renamed everywhere, and the password checklist the UI shows is the very
//! code the server uses to refuse a weak password. [`desktop`] holds what the desktop shell and its
//! UI say to each other.

pub mod audit;
pub mod data;
pub mod desktop;
pub mod email;
pub mod error_code;
pub mod password;
pub mod registration;
pub mod sso;
pub mod tasks;
pub mod text;
pub mod timestamp;
pub mod wire;

pub use data::*;
pub use email::{normalize_email, validate_email, validate_normalized_email, EmailError, MAX_EMAIL_LEN};
pub use error_code::ErrorCode;
pub use password::{
    check_normalized_password, check_password, normalize_password, normalized_password_checklist, password_checklist,
    PasswordRule, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, SPECIAL_CHARACTERS,
};
pub use registration::*;
pub use sso::*;
pub use tasks::*;
pub use wire::*;
