//! EdDSA tokens already verified: an Ed25519 signature check costs tens of microseconds, a third of
//! a whole `GET /api/tasks` on this machine, and a client sends the same token with every request
//! for its whole lifetime. So a token whose signature and claims passed is remembered, keyed by the
//! whole token (never a part an attacker could pair with another signature), until its `exp`.
//!
//! What the cache does not change: only the signature and the claims are skipped. Whether the
//! session is alive and the account enabled is read from the database on every request, as before,
//! so a sign-out, a disable or a revocation is seen by the next request on every instance. The
//! cache lives with one loaded key set (`signing::KeySet`), so a reload that drops a key drops
//! what was verified with it. It holds only tokens this server signed, at most [`CAPACITY`].

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::token::VerifiedToken;

/// Tokens remembered at most: a few thousand active clients, about 1.5 MiB at the most.
pub const CAPACITY: usize = 4096;

#[derive(Default)]
pub struct VerifiedCache {
    tokens: Mutex<HashMap<Box<str>, (VerifiedToken, i64)>>,
}

impl VerifiedCache {
    /// What `token` was verified as, if it was and has not expired by `now` (Unix seconds).
    pub fn get(&self, token: &str, now: i64) -> Option<VerifiedToken> {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.get(token).filter(|(_, exp)| now < *exp).map(|(verified, _)| *verified)
    }

    /// Remembers `token`, verified as `verified`, until `exp`. When full, expired tokens go first;
    /// if none has expired, everything goes (a miss costs one signature check, never a wrong answer).
    pub fn insert(&self, token: &str, verified: VerifiedToken, exp: i64, now: i64) {
        if now >= exp {
            return;
        }
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        if tokens.len() >= CAPACITY {
            tokens.retain(|_, (_, exp)| now < *exp);
            if tokens.len() >= CAPACITY {
                tokens.clear();
            }
        }
        tokens.insert(token.into(), (verified, exp));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.tokens.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn verified() -> VerifiedToken {
        VerifiedToken { user_id: Uuid::new_v4(), session_id: Some(Uuid::new_v4()), issued_at: Some(0) }
    }

    #[test]
    fn a_token_is_remembered_until_its_expiry_and_not_after() {
        let cache = VerifiedCache::default();
        let v = verified();
        cache.insert("a.b.c", v, 100, 10);
        assert_eq!(cache.get("a.b.c", 99), Some(v));
        assert_eq!(cache.get("a.b.C", 99), None, "the whole token is the key");
        assert_eq!(cache.get("a.b.c", 100), None);
        cache.insert("d.e.f", v, 100, 100);
        assert_eq!(cache.get("d.e.f", 50), None, "an expired token is not remembered");
    }

    #[test]
    fn it_never_holds_more_than_its_capacity() {
        let cache = VerifiedCache::default();
        for i in 0..CAPACITY {
            cache.insert(&format!("t{i}"), verified(), if i % 2 == 0 { 20 } else { 1000 }, 10);
        }
        assert_eq!(cache.len(), CAPACITY);
        // Full: the expired half goes, the live half stays.
        cache.insert("new", verified(), 1000, 30);
        assert_eq!(cache.len(), CAPACITY / 2 + 1);
        assert!(cache.get("t1", 30).is_some() && cache.get("new", 30).is_some());
        for i in 0..CAPACITY {
            cache.insert(&format!("u{i}"), verified(), 1000, 30);
        }
        assert!(cache.len() <= CAPACITY);
    }
}
