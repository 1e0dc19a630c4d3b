//! Invitation codes, and registering with one.
//!
//! A code is 16 characters of Crockford's base32 (80 random bits), shown grouped by four for
//! typing (`7KQ2-M9XD-4TRB-H0CE`) and read forgivingly (any case, spaces or dashes, `O` for `0`,
//! `I`/`L` for `1`). Only its SHA-256 is stored: 80 bits need no salt to stay unguessable, and the
//! hash is what a registration looks the invitation up by.

use rand::Rng;
use sha2::{Digest, Sha256};

use super::audit::{kind, Context};
use super::{refresh, Auth, AuthError};
use crate::rate_limit::{self, address_key, INVITATION_TRIES_BY_ADDRESS};
use crate::store::{StoreError, UserRecord};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 16;

/// A fresh code, grouped for typing, and its stored hash.
pub fn new_code() -> (String, String) {
    let mut rng = rand::rngs::OsRng;
    let raw: String = (0..LENGTH).map(|_| ALPHABET[rng.gen_range(0..32)] as char).collect();
    let grouped = raw.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect::<Vec<_>>();
    (grouped.join("-"), code_hash(&raw))
}

fn code_hash(canonical: &str) -> String {
    refresh::hex(&Sha256::digest(format!("authdesk invitation v1\0{canonical}").as_bytes()))
}

/// The code as typed, in its canonical form; `None` when it cannot be one.
fn canonical(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

impl Auth {
    /// Creates `user` (its email normalised, its password hashed) with a live invitation for its
    /// address: the invitation's role, the address verified, the invitation spent. Tries are
    /// counted per client address, right or wrong.
    pub(super) async fn register_invited(
        &self,
        user: UserRecord,
        typed: &str,
        ctx: &Context,
    ) -> Result<UserRecord, AuthError> {
        if let (Some(limit), Some(address)) =
            (self.registration.invitation_tries_by_address, ctx.client_ip.as_deref().and_then(|ip| ip.parse().ok()))
        {
            rate_limit::admit(&self.store, INVITATION_TRIES_BY_ADDRESS, &address_key(address), limit).await?;
        }
        let refused = |reason: &str| {
            ctx.event(kind::REGISTRATION_REFUSED)
                .email(&user.email)
                .failed()
                .details(serde_json::json!({ "reason": reason }))
        };
        let Some(code) = canonical(typed) else {
            self.store.record_audit(&refused("invalid_invitation")).await?;
            return Err(AuthError::InvalidInvitation);
        };
        let event = ctx.event(kind::REGISTERED).user(user.id, &user.email);
        match self.store.register_invited(&user, &code_hash(&code), &event).await {
            Ok(Some(user)) => Ok(user),
            Ok(None) => {
                self.store.record_audit(&refused("invalid_invitation")).await?;
                Err(AuthError::InvalidInvitation)
            }
            Err(StoreError::Conflict) => Err(AuthError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_80_bits_and_are_read_forgivingly() {
        let (code, hash) = new_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3, "{code}");
        let canonical_code = canonical(&code).unwrap();
        assert_eq!(code_hash(&canonical_code), hash);
        assert_eq!(canonical(&code.to_lowercase().replace('-', " ")), Some(canonical_code.clone()));
        assert_eq!(canonical("oooo-iiii-llll-0000").as_deref(), Some("0000111111110000"));
        assert_eq!(canonical("UUUU-0000-0000-0000"), None, "U is not in the alphabet");
        assert_eq!(canonical("0000-0000-0000"), None);
        assert_ne!(new_code().1, hash);
    }
}
