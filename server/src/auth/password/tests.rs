//! The hasher's unit tests: hash format, legacy and over-costly hashes, normalisation, the queue.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

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

/// The dummy hash costs what a stored one does: same algorithm, parameters, salt and output size.
#[test]
fn the_dummy_hash_has_the_parameters_of_a_fresh_hash() {
    let fresh = hash_blocking("Str0ng!Pass");
    let (dummy, fresh) = (PasswordHash::new(DUMMY_HASH).unwrap(), PasswordHash::new(&fresh).unwrap());
    assert_eq!((dummy.algorithm, dummy.version), (fresh.algorithm, fresh.version));
    assert_eq!(dummy.params, fresh.params, "regenerate DUMMY_HASH with the new parameters");
    assert_eq!(dummy.salt.map(|s| s.len()), fresh.salt.map(|s| s.len()));
    assert_eq!(dummy.hash.map(|h| h.len()), fresh.hash.map(|h| h.len()));
}

#[tokio::test]
async fn the_dummy_password_signs_no_one_in() {
    let hasher = hasher(1, 1);
    assert!(
        verify_blocking("authdesk dummy password, never matches", DUMMY_HASH).matches,
        "the phrase it was made from"
    );
    assert!(!hasher.verify("authdesk dummy password, never matches".into(), None).await.unwrap().matches);
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
    std::thread::spawn(move || tx.send(compute(&password, &owned, &mut Vec::new())));
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

/// Hashes computed in memory handed from one hash to the next are the ones argon2 itself writes and
/// accepts, whatever an earlier hash left in that memory.
#[test]
fn hashes_in_kept_memory_are_what_argon2_itself_writes() {
    let salt = SaltString::generate(&mut OsRng);
    let mut memory = Vec::new();
    let phc = hash_with("Str0ng!Pass", &salt, &mut memory);
    assert_eq!(phc, argon2().hash_password(b"Str0ng!Pass", &salt).unwrap().to_string());
    assert_eq!(hash_with("Str0ng!Pass", &salt, &mut memory), phc, "memory left by a hash changes nothing");
    assert!(argon2().verify_password(b"Str0ng!Pass", &PasswordHash::new(&phc).unwrap()).is_ok());
    assert!(compute("Str0ng!Pass", &phc, &mut memory).unwrap().matches);
    assert!(!compute("Str0ng!Pasz", &phc, &mut memory).unwrap().matches);
}

#[test]
fn working_memory_is_kept_only_while_hashes_wait_and_never_beyond_one_per_slot() {
    let memory = Memory::new(1);
    let mut buffer = memory.take();
    at_least(&mut buffer, 8);
    let address = buffer.as_ptr();
    memory.give_back(buffer, true);
    let again = memory.take();
    assert_eq!(again.as_ptr(), address, "the next hash gets the kept buffer");
    memory.give_back(again, true);
    memory.give_back(vec![Block::new(); 8], true);
    assert_eq!(memory.kept(), 1, "one per slot at most");
    memory.give_back(Vec::new(), false);
    assert_eq!(memory.kept(), 0, "the end of a burst drops everything kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_checks_leaves_no_working_memory_behind() {
    let hasher = hasher(1, 8);
    let mut checks = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let hasher = hasher.clone();
        checks.spawn(async move { hasher.verify("x".into(), None).await });
    }
    while let Some(check) = checks.join_next().await {
        assert!(!check.unwrap().unwrap().matches);
    }
    assert_eq!(hasher.verifications(), 4);
    assert_eq!(hasher.memory_kept(), 0);
}
