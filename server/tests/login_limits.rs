//! Limits on password guessing and floods: the account lockout (atomic under concurrency, shared
//! by sign-in and password re-entry, across instances), the per-address limits on sign-in and
//! sign-up (IPv6 per /64, behind trusted proxies), the bounded hashing queue, and failed checks
//! that take the same time whatever was checked.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use authdesk_server::auth::password;
use authdesk_server::store::{self, UserRecord};
use authdesk_server::{Config, RateLimit};
use common::{spawn_app, spawn_app_with, spawn_on, unique_email, Db, Reply, TestApp, TestDb, PASSWORD};
use futures::future::join_all;
use reqwest::Method;
use serde_json::json;

both_backends!(
    repeated_failures_lock_an_account_known_or_not,
    a_successful_login_clears_earlier_failures,
    failures_count_together_whatever_the_case_of_the_email,
    two_instances_share_the_login_limit,
    a_burst_of_concurrent_guesses_verifies_at_most_the_limit,
    password_reentry_is_counted_against_the_same_lockout,
    a_weak_new_password_answers_the_same_whatever_the_current_one,
    registration_is_limited_per_address_before_the_taken_check,
    a_full_hashing_queue_answers_503_at_once_and_leaves_room_for_sign_ins,
    ipv6_clients_are_counted_per_64,
    behind_a_trusted_proxy_each_client_has_its_own_bucket,
    failed_checks_answer_no_sooner_than_the_floor_whatever_the_hash,
);

/// Not in `both_backends!`: these stories run on a runtime that is abandoned at the end, so a hash
/// computed by mistake fails the test instead of keeping it waiting for days.
mod over_costly_hashes_are_refused_at_once {
    #[test]
    fn sqlite() {
        crate::common::run_abandoning_blocking_work(super::over_costly_hashes_are_refused_at_once(super::Db::Sqlite));
    }

    #[test]
    fn postgres() {
        crate::common::run_abandoning_blocking_work(super::over_costly_hashes_are_refused_at_once(super::Db::Postgres));
    }
}

async fn repeated_failures_lock_an_account_known_or_not(db: Db) {
    let app =
        spawn_app_with(db, |c| c.account_lockout = authdesk_server::RateLimit::parse("3/15minutes").unwrap()).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let bystander = unique_email();
    app.registered(&bystander, PASSWORD).await;
    for target in [email.as_str(), "nobody-here@example.com"] {
        for _ in 0..3 {
            app.login(target, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
        }
        // Locked, even with the right password, with the same 429 shape as the address limit.
        let locked = app.login(target, PASSWORD).await;
        assert_eq!(locked.status, 429, "{target}: {}", locked.text);
        let retry: u64 = locked.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry));
        assert!(locked.detail().starts_with("Too many login attempts. Try again in "));
    }
    assert_eq!(app.login(&bystander, PASSWORD).await.status, 200, "other accounts are not affected");
}

async fn two_instances_share_the_login_limit(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let limit =
        |c: &mut authdesk_server::Config| c.login_rate_limit = authdesk_server::RateLimit::parse("5/minute").unwrap();
    let a = spawn_on(shared.clone(), limit).await;
    let b = spawn_on(shared.clone(), limit).await;
    let email = unique_email();
    a.registered(&email, PASSWORD).await;
    for app in [&a, &a, &a, &b, &b] {
        assert_eq!(app.login(&email, PASSWORD).await.status, 200);
    }
    for app in [&a, &b] {
        let limited = app.login(&email, PASSWORD).await;
        assert_eq!(limited.status, 429, "{}", limited.text);
        assert!(limited.header("retry-after").is_some());
    }
}

fn lockout(spec: &str) -> impl FnOnce(&mut authdesk_server::Config) + '_ {
    move |c| c.account_lockout = RateLimit::parse(spec).unwrap()
}

async fn a_successful_login_clears_earlier_failures(db: Db) {
    let app = spawn_app_with(db, lockout("3/15minutes")).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    for _ in 0..2 {
        app.login(&email, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    }
    assert_eq!(app.login(&email, PASSWORD).await.status, 200);
    // Had the two failures been kept, the second of these would be the third in the window.
    for _ in 0..3 {
        app.login(&email, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    }
    // The count started again from zero: three new failures lock as usual.
    assert_eq!(app.login(&email, PASSWORD).await.status, 429);
}

async fn failures_count_together_whatever_the_case_of_the_email(db: Db) {
    let app = spawn_app_with(db, lockout("3/15minutes")).await;
    app.registered("case.test@example.com", PASSWORD).await;
    for spelling in ["Case.Test@Example.com", "case.test@example.com", "  CASE.TEST@EXAMPLE.COM "] {
        app.login(spelling, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    }
    for spelling in ["case.test@example.com", "Case.Test@Example.COM"] {
        let locked = app.login(spelling, PASSWORD).await;
        assert_eq!(locked.status, 429, "{spelling}: {}", locked.text);
    }
}

/// Imported hashes whose cost would stall the server (a cost-31 bcrypt: days; a 4 GiB argon2) are
/// refused at once: 401, nothing computed.
async fn over_costly_hashes_are_refused_at_once(db: Db) {
    let app = spawn_app(db).await;
    // Well-formed: real hashes of the right password with their cost fields raised.
    let bcrypt_cost_31 = bcrypt::hash(PASSWORD, 4).unwrap().replacen("$04$", "$31$", 1);
    let argon2_4_gib = password::hash_blocking(PASSWORD).replacen("m=19456", "m=4194304", 1);
    assert!(bcrypt_cost_31.starts_with("$2b$31$") && bcrypt_cost_31.len() == 60, "{bcrypt_cost_31}");
    assert!(argon2_4_gib.starts_with("$argon2id$v=19$m=4194304,t=2,p=1$"), "{argon2_4_gib}");
    for (email, hash) in [("bcrypt31@example.com", bcrypt_cost_31), ("argon2-4gib@example.com", argon2_4_gib)] {
        let user = UserRecord {
            id: uuid::Uuid::new_v4(),
            email: email.into(),
            password_hash: hash,
            created_at: store::now(),
            last_login_at: None,
            tokens_not_before: None,
            ..Default::default()
        };
        app.store.insert_user(&user, None).await.unwrap();
        let before = app.hasher.verifications();
        // Computing either hash would take minutes (or 4 GiB): the deadline only catches that.
        let reply = tokio::time::timeout(Duration::from_secs(30), app.login(email, PASSWORD))
            .await
            .unwrap_or_else(|_| panic!("{email}: no answer within 30 s; the hash is being computed"));
        reply.assert_error(401, "Invalid email or password");
        assert_eq!(app.hasher.verifications(), before, "{email}: refused without computing the hash");
        assert_eq!(app.store.user_by_email(email).await.unwrap().unwrap().password_hash, user.password_hash);
    }
}

/// A user row written directly, as an import or the original design would have left it.
async fn insert_user(app: &TestApp, email: &str, password_hash: String) {
    let user = UserRecord {
        id: uuid::Uuid::new_v4(),
        email: email.into(),
        password_hash,
        created_at: store::now(),
        last_login_at: None,
        tokens_not_before: None,
        ..Default::default()
    };
    app.store.insert_user(&user, None).await.unwrap();
}

/// The statuses of `replies`, counted: (401s, 429s with a Retry-After, anything else).
fn tally(replies: &[Reply]) -> (usize, usize, Vec<String>) {
    let unauthorized = replies.iter().filter(|r| r.status == 401).count();
    let limited = replies.iter().filter(|r| r.status == 429 && r.header("retry-after").is_some()).count();
    let other = replies
        .iter()
        .filter(|r| r.status != 401 && r.status != 429)
        .map(|r| format!("{} {}", r.status, r.text))
        .collect();
    (unauthorized, limited, other)
}

/// 60 wrong guesses at once, for a known and for an unknown email: the lockout's check and record
/// are one step, so at most its limit (10) are verified; every other one is a 429.
async fn a_burst_of_concurrent_guesses_verifies_at_most_the_limit(db: Db) {
    let app = spawn_app_with(db, |c| {
        c.account_lockout = RateLimit::parse("10/15minutes").unwrap();
        c.hash_queue = 1000;
    })
    .await;
    let known = unique_email();
    app.registered(&known, PASSWORD).await;
    for target in [known.as_str(), "nobody-at-all@example.com"] {
        let before = app.hasher.verifications();
        let replies = join_all((0..60).map(|_| app.login(target, "Wr0ng!Password"))).await;
        let (unauthorized, limited, other) = tally(&replies);
        assert!(other.is_empty(), "{target}: {other:?}");
        assert!(unauthorized <= 10, "{target}: {unauthorized} guesses were checked; the limit is 10");
        assert_eq!(unauthorized + limited, 60);
        assert!(app.hasher.verifications() - before <= 10, "{target}: more hashes computed than the limit");
        // And the account is locked, for the right password too.
        assert_eq!(app.login(target, PASSWORD).await.status, 429);
    }
}

/// With a stolen access token, the password re-entered to change it or delete the account is
/// guessed against the same lockout as sign-in.
async fn password_reentry_is_counted_against_the_same_lockout(db: Db) {
    let app = spawn_app_with(db, lockout("3/15minutes")).await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    let change = |current: &str| {
        let body = json!({"current_password": current, "new_password": "N3w!Passw0rd"});
        app.request(Method::POST, "/api/auth/password", Some(&token), Some(body))
    };
    let delete =
        |password: &str| app.request(Method::DELETE, "/api/auth/me", Some(&token), Some(json!({"password": password})));
    change("Wr0ng!Password1").await.assert_error(401, "Current password is incorrect");
    delete("Wr0ng!Password2").await.assert_error(401, "Password is incorrect");
    change("Wr0ng!Password3").await.assert_error(401, "Current password is incorrect");
    // The fourth guess waits, right or wrong, on either route, and sign-in waits with them.
    for reply in [change(PASSWORD).await, delete(PASSWORD).await] {
        assert_eq!(reply.status, 429, "{}", reply.text);
        assert!(reply.header("retry-after").is_some());
        assert!(reply.detail().starts_with("Too many password attempts. Try again in "), "{}", reply.detail());
    }
    assert_eq!(app.login(&email, PASSWORD).await.status, 429);
    assert_eq!(app.me(&token).await.status, 200, "the session itself keeps working");
}

/// `/password` checks the new password's policy before the current password, so a right guess
/// with a weak new password is no different from a wrong one.
async fn a_weak_new_password_answers_the_same_whatever_the_current_one(db: Db) {
    let app = spawn_app_with(db, lockout("3/15minutes")).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let before = app.hasher.verifications();
    for current in [PASSWORD, "Wr0ng!Password"] {
        let body = json!({"current_password": current, "new_password": "weak"});
        let reply = app.request(Method::POST, "/api/auth/password", Some(&token), Some(body)).await;
        reply.assert_error(400, "Password must be at least 8 characters long");
    }
    assert_eq!(app.hasher.verifications(), before, "the current password was not even checked");
}

/// Sign-ups from one address are limited, counted before "already registered" is answered, so
/// probing which emails have accounts is limited too.
async fn registration_is_limited_per_address_before_the_taken_check(db: Db) {
    let app = spawn_app_with(db, |c| c.register_rate_limit = RateLimit::parse("3/hour").unwrap()).await;
    let taken = unique_email();
    assert_eq!(app.register(&taken, PASSWORD).await.status, 201);
    assert_eq!(app.register(&taken, PASSWORD).await.status, 409);
    assert_eq!(app.register(&unique_email(), PASSWORD).await.status, 201);
    for email in [taken.clone(), unique_email()] {
        let limited = app.register(&email, PASSWORD).await;
        assert_eq!(limited.status, 429, "{}", limited.text);
        let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
        assert!((3500..=3600).contains(&retry), "{retry}");
        assert!(limited.detail().starts_with("Too many sign-up attempts. Try again in "), "{}", limited.detail());
    }
    assert_eq!(app.login(&taken, PASSWORD).await.status, 200, "sign-in has its own limit");
}

/// A flood of sign-ups fills the hashing queue: the overflow is told 503 with Retry-After at once
/// instead of waiting, and a sign-in during the flood still finds room.
async fn a_full_hashing_queue_answers_503_at_once_and_leaves_room_for_sign_ins(db: Db) {
    let app = spawn_app_with(db, |c| {
        c.hash_concurrency = 1;
        c.hash_queue = 4;
    })
    .await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    // Each answer is numbered in the order it arrives.
    let arrived = std::sync::atomic::AtomicUsize::new(0);
    let flood = join_all((0..40).map(|_| async {
        let reply = app.register(&unique_email(), PASSWORD).await;
        (reply, arrived.fetch_add(1, std::sync::atomic::Ordering::AcqRel))
    }));
    let sign_in = async {
        // Once the flood holds the hashing slot.
        common::wait_for("the flood to start hashing", || async { app.hasher.queue_state().0 >= 1 }).await;
        app.login(&email, PASSWORD).await
    };
    let (flood, sign_in) = tokio::join!(flood, sign_in);
    assert_eq!(sign_in.status, 200, "{}", sign_in.text);
    let busy: Vec<_> = flood.iter().filter(|(r, _)| r.status == 503).collect();
    let created: Vec<_> = flood.iter().filter(|(r, _)| r.status == 201).collect();
    assert!(!busy.is_empty(), "40 sign-ups at once never filled a queue of 4");
    assert_eq!(busy.len() + created.len(), 40, "{:?}", flood.iter().map(|(r, _)| r.status).collect::<Vec<_>>());
    // Turned away at once: every refusal came before the queue had been worked through.
    let last_created = created.iter().map(|(_, n)| *n).max().unwrap();
    for (reply, n) in busy {
        reply.assert_refused(503, "busy", "The server is busy. Please try again in a moment.");
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert!(*n < last_created, "a refusal (answer {n}) waited for the queue (last sign-up: answer {last_created})");
    }
}

fn address_limit(trusted: &'static str) -> impl FnOnce(&mut Config) {
    move |c| {
        c.login_rate_limit = RateLimit::parse("2/minute").unwrap();
        c.trusted_proxies = authdesk_server::config::parse_trusted_proxies(trusted).unwrap();
    }
}

async fn login_from(app: &TestApp, forwarded_for: &str) -> Reply {
    let body = json!({"email": "someone@example.com", "password": "Wr0ng!Password"});
    let req = app.http.post(app.url("/api/auth/login")).header("x-forwarded-for", forwarded_for).json(&body);
    Reply::from(req.send().await.unwrap()).await
}

/// Behind a trusted proxy, addresses in one IPv6 /64 share one bucket; another /64 has its own.
async fn ipv6_clients_are_counted_per_64(db: Db) {
    let app = spawn_app_with(db, address_limit("127.0.0.1")).await;
    assert_eq!(login_from(&app, "2001:db8:1:2::1").await.status, 401);
    assert_eq!(login_from(&app, "2001:db8:1:2:ffff::9").await.status, 401);
    assert_eq!(login_from(&app, "2001:db8:1:2:abcd::42").await.status, 429, "the same /64");
    assert_eq!(login_from(&app, "2001:db8:1:3::1").await.status, 401, "another /64");
}

/// Only a trusted peer's X-Forwarded-For is believed, and in it the right-most address that is not
/// a trusted proxy: a client cannot pick a fresh bucket by writing the header itself.
async fn behind_a_trusted_proxy_each_client_has_its_own_bucket(db: Db) {
    let behind_proxy = spawn_app_with(db, address_limit("127.0.0.1, 10.0.0.0/8")).await;
    for _ in 0..2 {
        assert_eq!(login_from(&behind_proxy, "203.0.113.7").await.status, 401);
    }
    assert_eq!(login_from(&behind_proxy, "203.0.113.7").await.status, 429);
    assert_eq!(login_from(&behind_proxy, "198.51.100.9").await.status, 401, "another client, another bucket");
    // A client prepending a fake address, through two proxies, is still itself.
    assert_eq!(login_from(&behind_proxy, "192.0.2.1, 203.0.113.7, 10.1.2.3").await.status, 429);

    // No trusted proxies (the default): the header is ignored, every request is the peer's.
    let direct = spawn_app_with(db, address_limit("")).await;
    assert_eq!(login_from(&direct, "203.0.113.1").await.status, 401);
    assert_eq!(login_from(&direct, "203.0.113.2").await.status, 401);
    assert_eq!(login_from(&direct, "203.0.113.3").await.status, 429, "a forged header is no new bucket");
}

/// An unknown email (dummy argon2), a wrong password for a legacy bcrypt account (cost 12), and an
/// account whose hash is refused unchecked (over the cost limit) all answer 401 no sooner than the
/// floor: which of them it was does not show in the time.
async fn failed_checks_answer_no_sooner_than_the_floor_whatever_the_hash(db: Db) {
    let floor = Duration::from_millis(400);
    let app = spawn_app_with(db, |c| c.failed_check_floor = floor).await;
    insert_user(&app, "legacy@example.com", bcrypt::hash(PASSWORD, 12).unwrap()).await;
    insert_user(&app, "refused@example.com", bcrypt::hash(PASSWORD, 4).unwrap().replacen("$04$", "$31$", 1)).await;
    app.registered("current@example.com", PASSWORD).await;
    for email in ["nobody@example.com", "legacy@example.com", "refused@example.com", "current@example.com"] {
        let started = std::time::Instant::now();
        app.login(email, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
        let took = started.elapsed();
        assert!(took >= floor, "{email}: answered after {took:?}, under the {floor:?} floor");
    }
}
