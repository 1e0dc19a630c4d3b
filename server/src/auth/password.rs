//! argon2id hashing on the blocking pool, at most `concurrency` at a time.
//!
//! A hash takes tens of milliseconds of CPU and 19 MiB of memory; run on the async runtime it would
//! stall every other request, and run without a cap a login storm would exhaust memory and starve
//! cheap requests of threads. Waiting for a permit is async, so queued logins cost nothing.

use std::sync::atomic::{AtomicU64, Ordering};
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
    compute(password, stored).unwrap_or(Verification { matches: false, outdated: false })
}

/// The verification, or `None` when `stored` is malformed or over-costly and nothing was computed.
fn compute(password: &str, stored: &str) -> Option<Verification> {
    if let Some(cost) = bcrypt_cost(stored) {
        if cost > MAX_BCRYPT_COST {
            tracing::warn!(cost, "refusing to verify a bcrypt hash above the cost limit");
            return None;
        }
        // bcrypt reads at most 72 bytes; passlib truncated longer passwords the same way.
        let bytes = &password.as_bytes()[..password.len().min(72)];
        return Some(Verification { matches: bcrypt::verify(bytes, stored).ok()?, outdated: true });
    }
    let parsed = PasswordHash::new(stored).ok()?;
    let params = Params::try_from(&parsed).ok()?;
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
        return None;
    }
    // Verification uses the algorithm and parameters recorded in the hash; the comparison of the
    // derived key is constant-time inside the argon2 crate.
    let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
    let current = parsed.algorithm.as_str() == "argon2id"
        && parsed.version == Some(Version::V0x13 as u32)
        && (params.m_cost(), params.t_cost(), params.p_cost()) == (MEMORY_KIB, ITERATIONS, PARALLELISM);
    Some(Verification { matches, outdated: !current })
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
    /// Hashes actually computed by [`PasswordHasher::verify`]: what tests count to prove that an
    /// unknown email costs the same work as a wrong password.
    verifications: Arc<AtomicU64>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: hash_blocking("authdesk dummy password, never matches").into(),
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    pub async fn hash(&self, password: String) -> String {
        self.run(move || hash_blocking(&password)).await
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no such user;
    /// either way the same work is done.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Verification {
        let dummy = self.dummy_hash.clone();
        let verifications = self.verifications.clone();
        self.run(move || {
            let outcome = compute(&password, stored.as_deref().unwrap_or(&dummy));
            if outcome.is_some() {
                verifications.fetch_add(1, Ordering::Relaxed);
            }
            match outcome {
                Some(verification) if stored.is_some() => verification,
                _ => Verification { matches: false, outdated: false },
            }
        })
        .await
    }

    /// How many hashes [`PasswordHasher::verify`] has computed so far (refused, over-costly or
    /// malformed hashes are not computed, so not counted).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
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
        let counted = hasher.clone();
        assert_eq!(counted.verifications(), 0);
        assert!(!hasher.verify("anything".into(), None).await.matches);
        assert_eq!(counted.verifications(), 1, "the dummy hash was computed, as for a known user");
        let phc = hasher.hash("Str0ng!Pass".into()).await;
        assert!(hasher.verify("Str0ng!Pass".into(), Some(phc.clone())).await.matches);
        assert!(!hasher.verify("str0ng!Pass".into(), Some(phc)).await.matches);
        assert_eq!(counted.verifications(), 3, "one computation per verification, counted by every clone");
        assert!(!hasher.verify("anything".into(), Some("not a hash".into())).await.matches);
        assert_eq!(counted.verifications(), 3, "a malformed hash is not computed");
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

    /// [`compute`] on a thread of its own, awaited at most `limit`: a hash computed by mistake takes
    /// days (or gigabytes), and the test must fail rather than wait for it.
    fn compute_within(password: &str, stored: &str, limit: std::time::Duration) -> Option<Verification> {
        let (tx, rx) = std::sync::mpsc::channel();
        let (password, owned) = (password.to_owned(), stored.to_owned());
        std::thread::spawn(move || tx.send(compute(&password, &owned)));
        rx.recv_timeout(limit).unwrap_or_else(|_| panic!("{stored} was still being computed after {limit:?}"))
    }

    #[test]
    fn over_costly_imported_hashes_are_refused_without_computing_them() {
        let limit = std::time::Duration::from_secs(1);
        // Well-formed: a real cost-4 bcrypt hash with its cost raised to 31 (2^31 rounds: days).
        let cheap = bcrypt::hash("x", 4).unwrap();
        assert_eq!(compute_within("x", &cheap, limit), Some(Verification { matches: true, outdated: true }));
        let cost_31 = cheap.replacen("$04$", "$31$", 1);
        assert_eq!(cost_31.parse::<bcrypt::HashParts>().expect("well-formed bcrypt").get_cost(), 31);
        assert_eq!(compute_within("x", &cost_31, limit), None);

        // Well-formed argon2id PHC strings beyond the limits: 4 GiB of memory; a million passes.
        let real = hash_blocking("x");
        let huge_memory = real.replacen("m=19456", "m=4194304", 1);
        let many_passes = real.replacen("t=2", "t=1000000", 1);
        for crafted in [&huge_memory, &many_passes] {
            assert_ne!(crafted, &real);
            let parsed = PasswordHash::new(crafted).expect("well-formed PHC string");
            Params::try_from(&parsed).expect("valid argon2 parameters");
            assert_eq!(compute_within("x", crafted, limit), None, "{crafted}");
        }
        assert_eq!(Params::try_from(&PasswordHash::new(&huge_memory).unwrap()).unwrap().m_cost(), 4 * 1024 * 1024);

        // Parallelism beyond the cap is refused too, even for the right password.
        let wide = Params::new(MEMORY_KIB, 1, MAX_ARGON2_PARALLELISM + 1, None).unwrap();
        let wide = Argon2::new(Algorithm::Argon2id, Version::V0x13, wide)
            .hash_password(b"x", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert_eq!(compute_within("x", &wide, limit), None, "{wide}");
        assert!(!verify_blocking("x", &cost_31).matches && !verify_blocking("x", &wide).matches);
    }
}
