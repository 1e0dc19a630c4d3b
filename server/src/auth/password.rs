//! argon2id hashing on the blocking pool, at most `concurrency` at a time.
//!
//! A hash takes tens of milliseconds of CPU and 19 MiB of memory; run on the async runtime it would
//! stall every other request, and run without a cap a login storm would exhaust memory and starve
//! cheap requests of threads. Waiting for a permit is async, so queued logins cost nothing; the
//! queue itself is bounded, so a flood is turned away at once (503) instead of making every
//! request behind it wait.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use authdesk_contract::normalize_password;
use tokio::sync::Semaphore;

mod memory;
use memory::{at_least, Memory};

/// OWASP's recommended argon2id setting: m=19456 KiB, t=2, p=1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

pub fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Verified against when the email is unknown, so that answer costs the same as a wrong password
/// and response time reveals nothing about which accounts exist. A constant rather than hashed at
/// start (that took a launch of the desktop app ~40 ms): the cost of a check is set by the
/// parameters in the string, which a test keeps equal to the current ones. Never matches an
/// account: the check ignores the outcome when there is none.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$9oNm9f74xFBMCwZ8KOeyeQ$mvd13Ajw49wj/v+Jzr+Lwn8KL/9u6YsrBnATxNiyfhs";

/// Hashes synchronously; callers on the async runtime use [`PasswordHasher::hash`].
pub fn hash_blocking(password: &str) -> String {
    hash_with(password, &SaltString::generate(&mut OsRng), &mut Vec::new())
}

/// The PHC string argon2's own `hash_password` writes, computed in `memory` (a test holds the two
/// equal).
fn hash_with(password: &str, salt: &SaltString, memory: &mut Vec<Block>) -> String {
    const VALID: &str = "hashing with valid parameters cannot fail";
    let hasher = argon2();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).expect(VALID);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let blocks = at_least(memory, hasher.params().block_count());
    hasher.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, blocks).expect(VALID);
    PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(hasher.params()).expect(VALID),
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).expect(VALID)),
    }
    .to_string()
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
    compute(password, stored, &mut Vec::new()).unwrap_or(Verification { matches: false, outdated: false })
}

/// The verification, or `None` when `stored` is malformed or over-costly and nothing was computed.
/// An argon2 hash is computed in `memory`.
fn compute(password: &str, stored: &str, memory: &mut Vec<Block>) -> Option<Verification> {
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
    // Verification uses the algorithm, version and parameters recorded in the hash, as argon2's own
    // `verify_password` does; `Output`'s comparison is constant-time.
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = parsed.version.map(Version::try_from).transpose().ok()?.unwrap_or_default();
    let (salt, expected) = (parsed.salt?, parsed.hash?);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).ok()?;
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = &mut out[..expected.len()];
    let blocks = at_least(memory, params.block_count());
    Argon2::new(algorithm, version, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, blocks)
        .ok()?;
    let matches = Output::new(out).ok()? == expected;
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

/// A password check or hash was refused because too many are already waiting: try again after
/// `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password hashing is saturated")]
pub struct Busy {
    pub retry_after: Duration,
}

/// A queue drains in about a second (see `Config::hash_queue`).
const BUSY: Busy = Busy { retry_after: Duration::from_secs(1) };

/// What a [`PasswordHasher`] is built with (see the matching [`crate::Config`] fields).
#[derive(Debug, Clone, Copy)]
pub struct HasherLimits {
    pub concurrency: usize,
    pub queue: usize,
    pub failed_check_floor: Duration,
}

#[derive(Clone)]
pub struct PasswordHasher {
    slots: Arc<Semaphore>,
    /// New passwords (registration, password change) take one of these before a slot, so at most
    /// `concurrency` of them ever wait for a slot. A password check queues for a slot right behind
    /// those few, not behind a whole registration flood (the slot semaphore is first-come,
    /// first-served), while registrations alone still use every slot.
    new_password_slots: Arc<Semaphore>,
    /// Callers waiting for a slot (not those holding one).
    waiting: Arc<AtomicUsize>,
    /// argon2's working memory, passed on while hashes are queued.
    memory: Arc<Memory>,
    limits: HasherLimits,
    /// Hashes actually computed by [`PasswordHasher::verify`]: what tests count to prove that an
    /// unknown email costs the same work as a wrong password.
    verifications: Arc<AtomicU64>,
}

/// A place in the hashing queue; leaving it (done, or the request dropped) frees it.
struct QueuePlace(Arc<AtomicUsize>);

impl Drop for QueuePlace {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl PasswordHasher {
    pub fn new(limits: HasherLimits) -> Self {
        let limits = HasherLimits { concurrency: limits.concurrency.max(1), queue: limits.queue.max(1), ..limits };
        Self {
            slots: Arc::new(Semaphore::new(limits.concurrency)),
            new_password_slots: Arc::new(Semaphore::new(limits.concurrency)),
            waiting: Arc::new(AtomicUsize::new(0)),
            memory: Arc::new(Memory::new(limits.concurrency)),
            limits,
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Hashes a new password (normalised, see [`normalize_password`]). New passwords may fill only
    /// half the queue, and queue apart from checks: a flood of registrations leaves room for
    /// sign-ins.
    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        let work = move |memory: &mut Vec<Block>| {
            hash_with(&normalize_password(&password), &SaltString::generate(&mut OsRng), memory)
        };
        self.run(self.limits.queue.div_ceil(2), Some(&self.new_password_slots), work).await
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no such user;
    /// either way the same work is done. A password stored before passwords were normalised still
    /// matches (and is reported outdated, to be re-hashed). A failed check answers no sooner than
    /// the configured floor, so its timing does not tell which kind of hash, if any, was checked.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verification, Busy> {
        let started = tokio::time::Instant::now();
        let verifications = self.verifications.clone();
        let verification = self
            .run(self.limits.queue, None, move |memory: &mut Vec<Block>| {
                let against = stored.as_deref().unwrap_or(DUMMY_HASH);
                let normalized = normalize_password(&password);
                // Both forms when they differ, also against the dummy, so the work does not depend
                // on whether the account exists.
                let mut outcome = compute(&normalized, against, memory);
                let mut computed = u64::from(outcome.is_some());
                if normalized != password {
                    let legacy = compute(&password, against, memory);
                    computed += u64::from(legacy.is_some());
                    if !outcome.is_some_and(|v| v.matches) && legacy.is_some_and(|v| v.matches) {
                        outcome = Some(Verification { matches: true, outdated: true });
                    }
                }
                verifications.fetch_add(computed, Ordering::Relaxed);
                match outcome {
                    Some(verification) if stored.is_some() => verification,
                    _ => Verification { matches: false, outdated: false },
                }
            })
            .await?;
        if !verification.matches {
            tokio::time::sleep_until(started + self.limits.failed_check_floor).await;
        }
        Ok(verification)
    }

    /// Refuses at once when a check would be refused for a full queue: lets a caller skip work that
    /// only makes sense if the check runs (the lockout's reservation, which a 503 would waste).
    pub fn ensure_room(&self) -> Result<(), Busy> {
        if self.waiting.load(Ordering::Acquire) >= self.limits.queue {
            return Err(BUSY);
        }
        Ok(())
    }

    /// (hashes running, callers waiting for a slot), for the metrics.
    pub fn queue_state(&self) -> (usize, usize) {
        (self.limits.concurrency - self.slots.available_permits(), self.waiting.load(Ordering::Acquire))
    }

    /// How many hashes [`PasswordHasher::verify`] has computed so far (refused, over-costly or
    /// malformed hashes are not computed, so not counted).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// How many argon2 working buffers are kept for queued hashes (none once a burst is over).
    #[cfg(test)]
    fn memory_kept(&self) -> usize {
        self.memory.kept()
    }

    /// Runs `work` on the blocking pool once a slot (and one of `class_slots`, when given) is free,
    /// unless `queue_limit` callers are already waiting: then it is refused at once rather than made
    /// to wait behind them. `work` hashes in the memory it is given.
    async fn run<T: Send + 'static>(
        &self,
        queue_limit: usize,
        class_slots: Option<&Semaphore>,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, Busy> {
        #[cfg(feature = "metrics")]
        let queued = std::time::Instant::now();
        let place = QueuePlace(self.waiting.clone());
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= queue_limit {
            return Err(BUSY);
        }
        let _class_permit = match class_slots {
            Some(slots) => Some(slots.acquire().await.expect("the hashing semaphores are never closed")),
            None => None,
        };
        let _permit = self.slots.acquire().await.expect("the hashing semaphores are never closed");
        drop(place);
        #[cfg(feature = "metrics")]
        crate::metrics::hash_waited(queued.elapsed());
        let (memory, waiting) = (self.memory.clone(), self.waiting.clone());
        let work = move || {
            let mut buffer = memory.take();
            let value = work(&mut buffer);
            memory.give_back(buffer, waiting.load(Ordering::Acquire) > 0);
            value
        };
        match tokio::task::spawn_blocking(work).await {
            Ok(value) => Ok(value),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

#[cfg(test)]
mod tests;
