//! Secrets at rest. What a copy of the database (a dump, a backup) must not give away is sealed or
//! keyed with keys derived from `BETTER_AUTH_SECRET` by HKDF-SHA256, one per purpose, so a key
//! for one purpose opens nothing of another:
//!
//! - sealed (ChaCha20-Poly1305, a random nonce, `v1.<nonce>.<ciphertext and tag>` in base64url):
//!   signing keys' private halves, second-factor (TOTP) secrets; with associated data naming
//!   whose secret it is, so a sealed value cannot be moved to another key or account;
//! - keyed (HMAC-SHA256): recovery codes, checked by comparing keyed hashes, so one pass over
//!   their code space no longer recovers every user's codes from a dump.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use ring::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::{hkdf, hmac};

use crate::config::Secret;

const VERSION: &str = "v1";

/// Whether `stored` is a sealed value (rather than a secret kept as it is, as older versions did).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with("v1.")
}

/// Seals and opens the values of one purpose.
#[derive(Clone)]
pub struct SealingKey(std::sync::Arc<LessSafeKey>);

impl SealingKey {
    /// The key for `purpose` (the HKDF salt, e.g. `b"authdesk signing keys"`).
    pub fn derive(secret: &Secret, purpose: &'static [u8]) -> Self {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, purpose).extract(secret.expose());
        let okm = prk
            .expand(&[b"chacha20-poly1305 v1"], &aead::CHACHA20_POLY1305)
            .expect("a 32-byte key is a valid HKDF-SHA256 output length");
        Self(std::sync::Arc::new(LessSafeKey::new(UnboundKey::from(okm))))
    }

    /// `plain`, sealed to `owner` (the associated data).
    pub fn seal(&self, owner: &[u8], plain: &[u8]) -> String {
        let mut nonce = [0u8; aead::NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(owner), &mut sealed)
            .expect("sealing a few bytes cannot overflow");
        format!("{VERSION}.{}.{}", URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(sealed))
    }

    /// The plain value; `None` when `sealed` is not one this key sealed to `owner` (another
    /// secret, another owner, or tampered with).
    pub fn open(&self, owner: &[u8], sealed: &str) -> Option<Vec<u8>> {
        let mut parts = sealed.split('.');
        let (Some(VERSION), Some(nonce), Some(body), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let nonce: [u8; aead::NONCE_LEN] = URL_SAFE_NO_PAD.decode(nonce).ok()?.try_into().ok()?;
        let mut body = URL_SAFE_NO_PAD.decode(body).ok()?;
        let plain = self.0.open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(owner), &mut body).ok()?;
        Some(plain.to_vec())
    }
}

/// Keyed hashes of one purpose: `k1.<hex>`.
#[derive(Clone)]
pub struct HashKey(hmac::Key);

impl HashKey {
    pub fn derive(secret: &Secret, purpose: &'static [u8]) -> Self {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, purpose).extract(secret.expose());
        let okm: hkdf::Okm<hmac::Algorithm> =
            prk.expand(&[b"hmac-sha256 v1"], hmac::HMAC_SHA256).expect("a 32-byte key is a valid HKDF-SHA256 output");
        Self(hmac::Key::from(okm))
    }

    pub fn hash(&self, data: &[u8]) -> String {
        let tag = hmac::sign(&self.0, data);
        let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        format!("k1.{hex}")
    }

    /// Whether `stored` is a keyed hash (rather than a plain one, as older versions stored).
    pub fn is_keyed(stored: &str) -> bool {
        stored.starts_with("k1.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(fill: char) -> Secret {
        Secret::new(fill.to_string().repeat(32)).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_secret_purpose_and_owner() {
        let key = SealingKey::derive(&secret('a'), b"purpose one");
        let sealed = key.seal(b"owner", b"JBSWY3DPEHPK3PXP");
        assert!(is_sealed(&sealed) && !sealed.contains("JBSWY3DP"), "{sealed}");
        assert_ne!(sealed, key.seal(b"owner", b"JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(key.open(b"owner", &sealed).as_deref(), Some(&b"JBSWY3DPEHPK3PXP"[..]));
        assert_eq!(key.open(b"another owner", &sealed), None);
        assert_eq!(SealingKey::derive(&secret('b'), b"purpose one").open(b"owner", &sealed), None);
        assert_eq!(SealingKey::derive(&secret('a'), b"purpose two").open(b"owner", &sealed), None);
        assert_eq!(key.open(b"owner", "JBSWY3DPEHPK3PXP"), None);
        assert!(!is_sealed("JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn keyed_hashes_depend_on_the_secret_and_purpose() {
        let key = HashKey::derive(&secret('a'), b"one");
        assert_eq!(key.hash(b"x"), HashKey::derive(&secret('a'), b"one").hash(b"x"));
        assert_ne!(key.hash(b"x"), HashKey::derive(&secret('b'), b"one").hash(b"x"));
        assert_ne!(key.hash(b"x"), HashKey::derive(&secret('a'), b"two").hash(b"x"));
        assert!(HashKey::is_keyed(&key.hash(b"x")) && key.hash(b"x").len() == 3 + 64);
    }
}
