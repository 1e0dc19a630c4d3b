//! The contract's email and password checks as the UI runs them: the same rules, with NFKC done by
//! the webview (`String.prototype.normalize`) instead of Unicode tables compiled into the wasm
//! (they were a fifth of it), and lower case done by the webview too (core's case tables and the
//! code over them were 8 KB of the gzipped wasm). The shell and the server check again with the
//! full rules, including the mixed-script lookalike check, which only they make.

use authdesk_contract::{
    check_normalized_password, normalized_password_checklist, validate_normalized_email, EmailError, PasswordRule,
};
use js_sys::JsString;

fn nfkc(text: &str) -> JsString {
    JsString::from(text).normalize("NFKC")
}

/// The address as the server will store it, or what is wrong with it.
pub fn validate_email(raw: &str) -> Result<String, EmailError> {
    let email: String = nfkc(raw.trim()).to_lower_case().into();
    validate_normalized_email(&email).map(|()| email)
}

pub fn check_password(password: &str) -> Vec<PasswordRule> {
    check_normalized_password(&String::from(nfkc(password)))
}

pub fn password_checklist(password: &str) -> Vec<(PasswordRule, bool)> {
    normalized_password_checklist(&String::from(nfkc(password)))
}
