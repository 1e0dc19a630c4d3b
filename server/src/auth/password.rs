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
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use authdesk_contract::normalize_password;
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
    limits: HasherLimits,
    /// Verified against when the email is unknown, so that answer costs the same as a wrong
    /// password and response time reveals nothing about which accounts exist.
    dummy_hash: Arc<str>,
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
            limits,
            dummy_hash: hash_blocking("authdesk dummy password, never matches").into(),
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Hashes a new password (normalised, see [`normalize_password`]). New passwords may fill only
    /// half the queue, and queue apart from checks: a flood of registrations leaves room for
    /// sign-ins.
    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        let work = move || hash_blocking(&normalize_password(&password));
        self.run(self.limits.queue.div_ceil(2), Some(&self.new_password_slots), work).await
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no such user;
    /// either way the same work is done. A password stored before passwords were normalised still
    /// matches (and is reported outdated, to be re-hashed). A failed check answers no sooner than
    /// the configured floor, so its timing does not tell which kind of hash, if any, was checked.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verification, Busy> {
        let started = tokio::time::Instant::now();
        let dummy = self.dummy_hash.clone();
        let verifications = self.verifications.clone();
        let verification = self
            .run(self.limits.queue, None, move || {
                let against = stored.as_deref().unwrap_or(&dummy);
                let normalized = normalize_password(&password);
                // Both forms when they differ, also against the dummy, so the work does not depend
                // on whether the account exists.
                let mut outcome = compute(&normalized, against);
                let mut computed = u64::from(outcome.is_some());
                if normalized != password {
                    let legacy = compute(&password, against);
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

    /// Runs `work` on the blocking pool once a slot (and one of `class_slots`, when given) is free,
    /// unless `queue_limit` callers are already waiting: then it is refused at once rather than made
    /// to wait behind them.
    async fn run<T: Send + 'static>(
        &self,
        queue_limit: usize,
        class_slots: Option<&Semaphore>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
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
        crate::metrics::hash_waited(queued.elapsed());
        match tokio::task::spawn_blocking(work).await {
            Ok(value) => Ok(value),
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

    fn hasher(concurrency: usize, queue: usize) -> PasswordHasher {
        PasswordHasher::new(HasherLimits { concurrency, queue, failed_check_floor: Duration::ZERO })
    }

    #[tokio::test]
    async fn unknown_users_verify_false_after_doing_the_work() {
        let hasher = hasher(2, 8);
        let counted = hasher.clone();
        assert_eq!(counted.verifications(), 0);
        assert!(!hasher.verify("anything".into(), None).await.unwrap().matches);
        assert_eq!(counted.verifications(), 1, "the dummy hash was computed, as for a known user");
        let phc = hasher.hash("Str0ng!Pass".into()).await.unwrap();
        assert!(hasher.verify("Str0ng!Pass".into(), Some(phc.clone())).await.unwrap().matches);
        assert!(!hasher.verify("str0ng!Pass".into(), Some(phc)).await.unwrap().matches);
        assert_eq!(counted.verifications(), 3, "one computation per verification, counted by every clone");
        assert!(!hasher.verify("anything".into(), Some("not a hash".into())).await.unwrap().matches);
        assert_eq!(counted.verifications(), 3, "a malformed hash is not computed");
    }

    #[tokio::test]
    async fn passwords_are_normalised_and_older_unnormalised_hashes_still_verify() {
        let hasher = hasher(2, 8);
        let fullwidth = "Ｓｔｒ０ｎｇ！Ｐａｓｓ";
        let phc = hasher.hash(fullwidth.into()).await.unwrap();
        let plain = hasher.verify("Str0ng!Pass".into(), Some(phc.clone())).await.unwrap();
        assert_eq!(plain, Verification { matches: true, outdated: false }, "the same password once normalised");
        // A hash of the raw, unnormalised form (as stored before normalisation) matches, to be upgraded.
        let legacy = hash_blocking(fullwidth);
        let old = hasher.verify(fullwidth.into(), Some(legacy)).await.unwrap();
        assert_eq!(old, Verification { matches: true, outdated: true });
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_at_once_and_new_passwords_get_half_of_it() {
        let hasher = hasher(1, 4);
        // The one slot is taken (as by a running hash, but held until the test lets go, so no
        // timing decides the outcome) and four checks wait: the queue is full.
        let slot = hasher.slots.clone().acquire_owned().await.unwrap();
        let waiting: Vec<_> = (0..4)
            .map(|_| {
                tokio::spawn({
                    let h = hasher.clone();
                    async move { h.verify("x".into(), None).await }
                })
            })
            .collect();
        while hasher.queue_state().1 < 4 {
            tokio::task::yield_now().await;
        }
        // A queue that admitted them would make them wait for the held slot: a second is plenty.
        let at_once = Duration::from_secs(1);
        let refused = tokio::time::timeout(at_once, hasher.verify("x".into(), None)).await;
        assert_eq!(refused, Ok(Err(Busy { retry_after: Duration::from_secs(1) })), "refused without waiting");
        let new_password = tokio::time::timeout(at_once, hasher.hash("Str0ng!Pass".into())).await;
        assert!(matches!(new_password, Ok(Err(_))), "new passwords are refused before checks are");
        drop(slot);
        for task in waiting {
            assert!(task.await.unwrap().is_ok(), "those already queued are served");
        }
        assert!(hasher.verify("x".into(), None).await.is_ok(), "the queue is free again");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_check_waits_for_a_running_hash_not_for_a_registration_flood() {
        let hasher = hasher(2, 64);
        // Twenty registrations at once: two hash, eighteen wait apart from the slots.
        let flood: Vec<_> = (0..20)
            .map(|_| {
                tokio::spawn({
                    let h = hasher.clone();
                    async move { h.hash("Str0ng!Pass".into()).await }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(hasher.slots.available_permits(), 0, "registrations alone use every slot");
        let started = std::time::Instant::now();
        assert!(hasher.verify("x".into(), None).await.is_ok());
        let check = started.elapsed();
        let busy_until = std::time::Instant::now();
        for task in flood {
            task.await.unwrap().unwrap();
        }
        // The check took one hash's time, not the flood's (which was still running after it).
        assert!(check < busy_until.elapsed(), "the check ({check:?}) waited behind the flood");
    }

    #[tokio::test]
    async fn failed_checks_take_at_least_the_floor() {
        let floor = Duration::from_secs(1);
        let hasher = PasswordHasher::new(HasherLimits { concurrency: 2, queue: 8, failed_check_floor: floor });
        let phc = hasher.hash("Str0ng!Pass".into()).await.unwrap();
        let over_cost = bcrypt::hash("x", 4).unwrap().replacen("$04$", "$31$", 1);
        for stored in [None, Some(phc.clone()), Some(over_cost), Some("not a hash".into())] {
            let started = std::time::Instant::now();
            assert!(!hasher.verify("Wr0ng!Pass".into(), stored.clone()).await.unwrap().matches);
            assert!(started.elapsed() >= floor, "{stored:?} answered after {:?}", started.elapsed());
        }
        let started = std::time::Instant::now();
        assert!(hasher.verify("Str0ng!Pass".into(), Some(phc)).await.unwrap().matches);
        assert!(started.elapsed() < floor, "a success is not padded");
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
