//! Mailed one-time codes (password reset, address verification): 8 digits, stored as a salted
//! hash, spent by use, by a newer code, by time, or by a few wrong tries. One rule for both kinds.

use rand::Rng;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::refresh;
use crate::store::CodeKind;

const CODE_DIGITS: usize = 8;
/// Wrong tries that spend a code: with a fresh code at most every few minutes per address, guessing
/// one of 10^8 is hopeless.
pub(super) const MAX_TRIES: i64 = 5;

/// A fresh code and its stored hash.
pub(super) fn new_code(kind: CodeKind, user: Uuid) -> (String, String) {
    let n: u32 = rand::rngs::OsRng.gen_range(0..100_000_000);
    let code = format!("{n:08}");
    let hash = code_hash(kind, user, &code);
    (code, hash)
}

/// Salted with the kind and the user's id, so equal codes of two users (or of two kinds) do not
/// hash alike. The reset code's salt is the one codes were issued with before verification codes
/// existed: a code mailed by an older instance still works.
pub(super) fn code_hash(kind: CodeKind, user: Uuid, code: &str) -> String {
    let purpose = match kind {
        CodeKind::PasswordReset => "authdesk reset code v1",
        CodeKind::EmailVerification => "authdesk verification code v1",
    };
    refresh::hex(&Sha256::digest(format!("{purpose}\0{user}\0{code}").as_bytes()))
}

/// The code as typed, with spaces and dashes dropped; `None` when it cannot be one.
pub(super) fn typed_code(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_digits_read_loosely_and_hashed_per_user_and_kind() {
        let user = Uuid::new_v4();
        let (code, hash) = new_code(CodeKind::PasswordReset, user);
        assert_eq!(code.len(), 8);
        assert_eq!(typed_code(&format!(" {} {} ", &code[..4], &code[4..])).as_deref(), Some(code.as_str()));
        assert_eq!(typed_code("1234-5678").as_deref(), Some("12345678"));
        assert_eq!(typed_code("1234567"), None);
        assert_eq!(typed_code("abcdefgh"), None);
        assert_eq!(hash, code_hash(CodeKind::PasswordReset, user, &code));
        assert_ne!(hash, code_hash(CodeKind::PasswordReset, Uuid::new_v4(), &code));
        assert_ne!(hash, code_hash(CodeKind::EmailVerification, user, &code));
    }

    /// Reset codes hash as they did before verification codes existed.
    #[test]
    fn reset_codes_hash_as_older_versions_issued_them() {
        let user = Uuid::nil();
        let older = refresh::hex(&Sha256::digest(format!("authdesk reset code v1\0{user}\012345678").as_bytes()));
        assert_eq!(code_hash(CodeKind::PasswordReset, user, "12345678"), older);
    }
}
