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

/// Imported hashes costlier than these are refused, not computed: a crafted row must not be able
/// to stall the server (bcrypt cost 14 is ~1 s here; 256 MiB of argon2 memory per attempt is plenty).
pub const MAX_BCRYPT_COST: u32 = 14;
pub const MAX_ARGON2_MEMORY_KIB: u32 = 256 * 1024;
pub const MAX_ARGON2_ITERATIONS: u32 = 16;
pub const MAX_ARGON2_PARALLELISM: u32 = 8;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    pub matches: bool,
    /// The hash is a legacy format (bcrypt from the original design) or older argon2 parameters:
    /// re-hash the password, now that it is known, with the current ones.
    pub outdated: bool,
}

/// Verifies synchronously against an argon2 PHC string or a bcrypt (`$2a$`/`$2b$`/`$2y$`) hash, as
/// passlib wrote them for the original design. A malformed or over-costly hash verifies as `false`.
pub fn verify_blocking(password: &str, stored: &str) -> Verification {
    let refused = Verification { matches: false, outdated: false };
    if let Some(cost) = bcrypt_cost(stored) {
        if cost > MAX_BCRYPT_COST {
            tracing::warn!(cost, "refusing to verify a bcrypt hash above the cost limit");
            return refused;
        }
        // bcrypt reads at most 72 bytes; passlib truncated longer passwords the same way.
        let bytes = &password.as_bytes()[..password.len().min(72)];
        return Verification { matches: bcrypt::verify(bytes, stored).unwrap_or(false), outdated: true };
    }
    let Ok(parsed) = PasswordHash::new(stored) else { return refused };
    let Ok(params) = Params::try_from(&parsed) else { return refused };
    if params.m_cost() > MAX_ARGON2_MEMORY_KIB
        || params.t_cost() > MAX_ARGON2_ITERATIONS
        || params.p_cost() > MAX_ARGON2_PARALLELISM
    {
        tracing::warn!(
            m = params.m_cost(),
            t = params.t_cost(),
            p = params.p_cost(),
            "refusing an argon2 hash above the cost limits"
        );
        return refused;
    }
    // Verification uses the algorithm and parameters recorded in the hash; the comparison of the
    // derived key is constant-time inside the argon2 crate.
    let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
    let current = parsed.algorithm.as_str() == "argon2id"
        && parsed.version == Some(Version::V0x13 as u32)
        && (params.m_cost(), params.t_cost(), params.p_cost()) == (MEMORY_KIB, ITERATIONS, PARALLELISM);
    Verification { matches, outdated: !current }
}

/// The cost of a bcrypt hash in modular-crypt format, or `None` when it is not one.
fn bcrypt_cost(stored: &str) -> Option<u32> {
    let rest =
        stored.strip_prefix("$2b$").or_else(|| stored.strip_prefix("$2a$")).or_else(|| stored.strip_prefix("$2y$"))?;
    rest.get(..2)?.parse().ok()
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
    pub async fn verify(&self, password: String, stored: Option<String>) -> Verification {
        let dummy = self.dummy_hash.clone();
        self.run(move || match stored {
            Some(phc) => verify_blocking(&password, &phc),
            None => {
                let _ = verify_blocking(&password, &dummy);
                Verification { matches: false, outdated: false }
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
        assert_eq!(verify_blocking("Str0ng!Pass", &phc), Verification { matches: true, outdated: false });
        assert!(!verify_blocking("str0ng!Pass", &phc).matches);
        assert!(!verify_blocking("Str0ng!Pass", "not a hash").matches);
        assert_ne!(phc, hash_blocking("Str0ng!Pass"), "salts must differ");
    }

    #[tokio::test]
    async fn unknown_users_verify_false_after_doing_the_work() {
        let hasher = PasswordHasher::new(2);
        assert!(!hasher.verify("anything".into(), None).await.matches);
        let phc = hasher.hash("Str0ng!Pass".into()).await;
        assert!(hasher.verify("Str0ng!Pass".into(), Some(phc)).await.matches);
    }

    #[test]
    fn legacy_hashes_verify_and_ask_to_be_upgraded() {
        let bcrypt_hash = bcrypt::hash("Str0ng!Pass", 4).unwrap();
        assert!(bcrypt_hash.starts_with("$2b$04$"));
        assert_eq!(verify_blocking("Str0ng!Pass", &bcrypt_hash), Verification { matches: true, outdated: true });
        assert!(!verify_blocking("wrong", &bcrypt_hash).matches);
        for prefix in ["$2a$", "$2y$"] {
            let variant = bcrypt_hash.replacen("$2b$", prefix, 1);
            assert!(verify_blocking("Str0ng!Pass", &variant).matches, "{prefix}");
        }
        // Older argon2 parameters (argon2i, lighter memory) verify and are flagged.
        let old = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::new(4096, 3, 1, None).unwrap())
            .hash_password(b"Str0ng!Pass", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert_eq!(verify_blocking("Str0ng!Pass", &old), Verification { matches: true, outdated: true });
    }

    #[test]
    fn over_costly_imported_hashes_are_refused_without_computing_them() {
        // Cost 31 would take days; the check must answer at once.
        let crafted = "$2b$31$abcdefghijklmnopqrstuuJ1TQ2f8vB8aE1Qe3rW9h8E3oSBxa8Nbe";
        let started = std::time::Instant::now();
        assert!(!verify_blocking("x", crafted).matches);
        let huge = "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
        assert!(!verify_blocking("x", huge).matches);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
