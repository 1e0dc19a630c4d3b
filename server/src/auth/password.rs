//! argon2id hashing on the blocking pool, at most `concurrency` at a time.
//!
//! A hash takes tens of milliseconds of CPU and 19 MiB of memory; run on the async runtime it would
//! stall every other request, and run without a cap a login storm would exhaust memory and starve
//! cheap requests of threads. Waiting for a permit is async, so queued logins cost nothing.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// OWASP's recommended argon2id setting: m=19456 KiB, t=2, p=1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

pub fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes synchronously; callers on the async runtime use [`PasswordHasher::hash`].
pub fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password.as_bytes(), &salt).expect("hashing with valid parameters cannot fail").to_string()
}

/// Verifies synchronously. A malformed stored hash verifies as `false`, never panics.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        // Verification uses the parameters recorded in the hash itself; the comparison of the
        // derived key is constant-time inside the argon2 crate.
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    slots: Arc<Semaphore>,
    /// Verified against when the email is unknown, so that answer costs the same as a wrong
    /// password and response time reveals nothing about which accounts exist.
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: hash_blocking("authdesk dummy password, never matches").into(),
        }
    }

    pub async fn hash(&self, password: String) -> String {
        self.run(move || hash_blocking(&password)).await
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no such user;
    /// either way the same work is done.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        let dummy = self.dummy_hash.clone();
        self.run(move || match stored {
            Some(phc) => verify_blocking(&password, &phc),
            None => {
                let _ = verify_blocking(&password, &dummy);
                false
            }
        })
        .await
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> T {
        let _permit = self.slots.acquire().await.expect("the hashing semaphore is never closed");
        match tokio::task::spawn_blocking(work).await {
            Ok(value) => value,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_with_the_chosen_parameters() {
        let phc = hash_blocking("Str0ng!Pass");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking("Str0ng!Pass", &phc));
        assert!(!verify_blocking("str0ng!Pass", &phc));
        assert!(!verify_blocking("Str0ng!Pass", "not a hash"));
        assert_ne!(phc, hash_blocking("Str0ng!Pass"), "salts must differ");
    }

    #[tokio::test]
    async fn unknown_users_verify_false_after_doing_the_work() {
        let hasher = PasswordHasher::new(2);
        assert!(!hasher.verify("anything".into(), None).await);
        let phc = hasher.hash("Str0ng!Pass".into()).await;
        assert!(hasher.verify("Str0ng!Pass".into(), Some(phc)).await);
    }
}
