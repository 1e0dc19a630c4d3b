//! Refresh tokens: 256 random bits, stored only as a SHA-256, rotated on every use.
//!
//! A spent token keeps its successor for a short grace window, sealed (XOR) with a key derived from
//! the spent token itself: only a holder of the spent token can open it, so a client that raced
//! two refreshes gets the same successor twice instead of tripping reuse detection, while the
//! database alone reveals no usable token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;

/// A new refresh token and the hash to store.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn keystream(spent: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"authdesk refresh successor v1\0");
    h.update(spent.as_bytes());
    h.finalize().into()
}

/// Seals `successor` so that only a holder of `spent` can open it.
pub fn seal(successor: &str, spent: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(successor).ok().filter(|r| r.len() == TOKEN_BYTES)?;
    let key = keystream(spent);
    Some(hex(&raw.iter().zip(key).map(|(a, b)| a ^ b).collect::<Vec<_>>()))
}

pub fn unseal(sealed: &str, spent: &str) -> Option<String> {
    let raw = unhex(sealed).filter(|r| r.len() == TOKEN_BYTES)?;
    let key = keystream(spent);
    Some(URL_SAFE_NO_PAD.encode(raw.iter().zip(key).map(|(a, b)| a ^ b).collect::<Vec<_>>()))
}

/// Lower-case hex, as every stored hash is written.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, ha) = generate();
        let (b, hb) = generate();
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_eq!(hash(&a), ha);
        assert_ne!(ha, hb);
        assert!(!ha.contains(&a));
    }

    #[test]
    fn only_the_spent_token_opens_its_successor() {
        let (spent, _) = generate();
        let (successor, _) = generate();
        let sealed = seal(&successor, &spent).unwrap();
        assert_eq!(unseal(&sealed, &spent).as_deref(), Some(successor.as_str()));
        let (other, _) = generate();
        assert_ne!(unseal(&sealed, &other).as_deref(), Some(successor.as_str()));
    }
}
