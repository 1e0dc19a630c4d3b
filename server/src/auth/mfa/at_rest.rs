//! Second-factor secrets at rest: TOTP secrets sealed to their user, recovery codes kept as keyed
//! hashes (see [`crate::auth::sealed`]), and the start-up step that brings rows written by older
//! versions (secrets as they are, codes as plain SHA-256) to that form.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::refresh;
use crate::auth::sealed::{is_sealed, HashKey, SealingKey};
use crate::config::Secret;
use crate::store::{Store, StoreError};

/// The keys a server keeps second factors under, derived from `BETTER_AUTH_SECRET`.
#[derive(Clone)]
pub struct FactorKeys {
    totp: SealingKey,
    recovery: HashKey,
}

/// Why the start-up step refused to go on.
#[derive(Debug, thiserror::Error)]
pub enum AtRestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the two-factor secrets in the database were sealed with another BETTER_AUTH_SECRET: use the secret the \
         other instances use"
    )]
    WrongSecret,
}

impl FactorKeys {
    pub fn new(secret: &Secret) -> Self {
        Self {
            totp: SealingKey::derive(secret, b"authdesk totp secrets"),
            recovery: HashKey::derive(secret, b"authdesk recovery codes"),
        }
    }

    /// A TOTP secret (base32) as stored: sealed to its user.
    pub fn seal_totp(&self, user: Uuid, secret: &str) -> String {
        self.totp.seal(user.as_bytes(), secret.as_bytes())
    }

    /// A stored TOTP secret as the app has it; one stored as it is (an older version's row not
    /// yet sealed) is taken as it is. `None`: sealed with another secret, or for another user.
    pub fn open_totp(&self, user: Uuid, stored: &str) -> Option<String> {
        if !is_sealed(stored) {
            return Some(stored.to_owned());
        }
        String::from_utf8(self.totp.open(user.as_bytes(), stored)?).ok()
    }

    /// A recovery code's stored hash: keyed, over what older versions stored (so their rows
    /// convert without the codes).
    pub fn recovery_hash(&self, code: &str) -> String {
        self.rekey(&plain_recovery_hash(code))
    }

    fn rekey(&self, plain_hash: &str) -> String {
        self.recovery.hash(plain_hash.as_bytes())
    }
}

/// What older versions stored for a recovery code: SHA-256 of its letters and digits in lower
/// case (so "ABCDE FGHJK" is "abcde-fghjk"), one prefix for every user.
fn plain_recovery_hash(code: &str) -> String {
    let normalized: String = code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    refresh::hex(&Sha256::digest(format!("authdesk recovery code v1\0{normalized}").as_bytes()))
}

/// At start-up: seals TOTP secrets stored as they are and re-keys plain recovery-code hashes (each
/// row changed only if still as read, so instances starting together agree), after checking that
/// the secrets already sealed open with this server's secret.
pub async fn seal_existing(store: &Store, keys: &FactorKeys) -> Result<(), AtRestError> {
    if let Some((user, sealed)) = store.some_sealed_totp_secret().await? {
        keys.open_totp(user, &sealed).ok_or(AtRestError::WrongSecret)?;
    }
    for (user, plain) in store.unsealed_totp_secrets().await? {
        store.replace_totp_secret(user, &plain, &keys.seal_totp(user, &plain)).await?;
    }
    for (user, plain_hash) in store.plain_recovery_hashes().await? {
        store.replace_recovery_hash(user, &plain_hash, &keys.rekey(&plain_hash)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_secrets_open_for_their_user_only_and_old_rows_as_they_are() {
        let keys = FactorKeys::new(&Secret::new("s".repeat(32)).unwrap());
        let (ann, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let sealed = keys.seal_totp(ann, "JBSWY3DPEHPK3PXP");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(keys.open_totp(ann, &sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(keys.open_totp(bob, &sealed), None);
        assert_eq!(keys.open_totp(ann, "JBSWY3DPEHPK3PXP").as_deref(), Some("JBSWY3DPEHPK3PXP"));
        let other = FactorKeys::new(&Secret::new("t".repeat(32)).unwrap());
        assert_eq!(other.open_totp(ann, &sealed), None);
    }

    #[test]
    fn recovery_hashes_are_keyed_and_read_codes_loosely() {
        let keys = FactorKeys::new(&Secret::new("s".repeat(32)).unwrap());
        let hash = keys.recovery_hash("abcde-fghjk");
        assert_eq!(hash, keys.recovery_hash("ABCDE FGHJK"));
        assert_ne!(hash, plain_recovery_hash("abcde-fghjk"));
        assert_eq!(hash, keys.rekey(&plain_recovery_hash("abcde-fghjk")), "an old row converts to the new hash");
        assert_ne!(hash, FactorKeys::new(&Secret::new("t".repeat(32)).unwrap()).recovery_hash("abcde-fghjk"));
    }
}
