//! Verified sign-up, told as people meet it on a server with `AUTHDESK_REGISTRATION=verified` and a
//! real mail server on loopback: the mailed code, the answer that is the same for a taken address,
//! the squatted address won back, resends, the 403 only the right password hears, verification by
//! password reset, the pruner, and a server switched to `verified`. And the default: open, exactly
//! as the original design answered.

use crate::common;

use std::time::{Duration, Instant};

use authdesk_server::config::{MailSettings, RegistrationMode};
use authdesk_server::store::{self, AuditFilter, UserRecord};
use authdesk_server::{Config, RateLimit};
use common::smtp::SmtpSink;
use common::totp::post;
use common::{spawn_app_with, spawn_on, unique_email, Db, Reply, TestApp, PASSWORD};
use serde_json::{json, Value};

both_backends!(
    a_new_address_signs_up_with_the_mailed_code,
    a_taken_address_gets_the_same_answer_and_its_owner_a_warning,
    a_squatted_unverified_address_goes_to_whoever_verifies_it,
    a_resend_answers_alike_for_every_address_and_is_limited,
    verification_tries_and_resends_are_limited_per_client_address,
    a_password_reset_verifies_the_address,
    the_pruner_deletes_old_unverified_accounts_and_nothing_else,
    a_server_switched_to_verified_asks_existing_accounts_at_their_next_sign_in,
    an_open_server_answers_as_the_original_design,
);

const SENT: &str = "Check your email for a code to verify your address.";
const RESENT: &str = "If an unverified account exists for that address, a new code has been sent.";
const OTHER_PASSWORD: &str = "An0ther!Passw0rd";

fn verified(sink: &SmtpSink) -> impl FnOnce(&mut Config) + '_ {
    move |c| {
        c.mail = Some(MailSettings::new(&sink.url, "authdesk <noreply@authdesk.test>").unwrap());
        c.registration.mode = RegistrationMode::Verified;
        c.registration.sign_in_alerts = Some(false);
    }
}

/// The 8 digits after "Your verification code: " in a mail.
#[track_caller]
fn verification_code(mail: &str) -> String {
    let start = mail.find("Your verification code: ").unwrap_or_else(|| panic!("no code in {mail}")) + 24;
    let code: String = mail[start..].chars().take(8).collect();
    assert!(code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()), "{code:?} in {mail}");
    code
}

async fn verify(app: &TestApp, email: &str, code: &str) -> Reply {
    post(app, "/api/auth/verify-email", None, json!({ "email": email, "code": code })).await
}

async fn resend(app: &TestApp, email: &str) -> Reply {
    post(app, "/api/auth/verify-email/resend", None, json!({ "email": email })).await
}

/// Waits until `n` events of `kind` name `email`: the background work of a registration or resend
/// is audited before anything is mailed, so after that a mail that has not come will not come.
async fn audited(app: &TestApp, kind: &str, email: &str, n: usize) {
    let filter = AuditFilter { kind: Some(kind.into()), limit: 100, ..Default::default() };
    common::wait_for("the background work to be audited", || async {
        let events = app.store.audit_events(&filter).await.unwrap();
        events.iter().filter(|e| e.email.as_deref() == Some(email)).count() >= n
    })
    .await;
}

/// A code the mailed one is not.
fn wrong(code: &str) -> String {
    let last = code.as_bytes()[7] - b'0';
    format!("{}{}", &code[..7], (last + 1) % 10)
}

fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

async fn a_new_address_signs_up_with_the_mailed_code(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, verified(&sink)).await;
    let info = app.request(reqwest::Method::GET, "/api/auth/registration", None, None).await;
    assert_eq!(info.body, json!({ "mode": "verified", "allowed_domains": [] }));

    let email = unique_email();
    let registered = app.register(&email, PASSWORD).await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert_eq!(keys(&registered.body), ["email", "message", "user_id", "verification_required"]);
    assert_eq!(
        (registered.body["message"].as_str(), registered.body["verification_required"].as_bool()),
        (Some(SENT), Some(true))
    );
    let mail = sink.nth_mail_to(&email, 1).await;
    assert!(mail.contains("Subject: Your authdesk verification code"), "{mail}");
    let code = verification_code(&mail);

    // Only the right password hears that the address waits; no sign-in mails a code.
    app.login(&email, OTHER_PASSWORD).await.assert_refused(401, "invalid_credentials", "Invalid email or password");
    let unverified = app.login(&email, PASSWORD).await;
    unverified.assert_refused(403, "email_not_verified", "Email address not verified");
    assert_eq!(unverified.body["verification_required"], true);
    assert!(unverified.body.get("access_token").is_none());

    verify(&app, &email, &wrong(&code)).await.assert_refused(400, "invalid_code", "Invalid or expired code");
    let signed_in = verify(&app, &email.to_uppercase(), &format!("{} {}", &code[..4], &code[4..])).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(signed_in.body["user_id"], registered.body["user_id"]);
    assert_eq!(signed_in.body["user"]["email_verified"], true);
    let token = signed_in.body["access_token"].as_str().unwrap();
    assert_eq!(app.me(token).await.body["email_verified"], true);
    assert_eq!(app.login(&email, PASSWORD).await.status, 200);
    verify(&app, &email, &code).await.assert_refused(400, "invalid_code", "Invalid or expired code");
    assert_eq!(sink.mails_to(&email).len(), 1, "signing in mailed nothing");
}

async fn a_taken_address_gets_the_same_answer_and_its_owner_a_warning(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, verified(&sink)).await;
    let owner = unique_email();
    let first = app.register(&owner, PASSWORD).await;
    let code = verification_code(&sink.nth_mail_to(&owner, 1).await);
    assert_eq!(verify(&app, &owner, &code).await.status, 200);

    let again = app.register(&owner, OTHER_PASSWORD).await;
    let new = app.register(&unique_email(), PASSWORD).await;
    assert_eq!((again.status, keys(&again.body)), (new.status, keys(&new.body)));
    assert_eq!(
        (&again.body["message"], &again.body["verification_required"]),
        (&new.body["message"], &new.body["verification_required"])
    );
    assert_eq!(again.body["email"], owner.as_str());
    assert_ne!(again.body["user_id"], first.body["user_id"], "the account's id is not given away");
    let header_names = |r: &Reply| {
        let mut names: Vec<String> =
            r.headers.keys().map(|k| k.to_string()).filter(|k| k != "date" && k != "content-length").collect();
        names.sort();
        names
    };
    assert_eq!(header_names(&again), header_names(&new));

    let warning = sink.nth_mail_to(&owner, 2).await;
    assert!(warning.contains("Subject: Someone tried to create an authdesk account with your address"), "{warning}");
    assert!(!warning.contains("Your verification code"), "{warning}");
    assert_eq!(app.login(&owner, PASSWORD).await.status, 200, "nothing changed");
    app.login(&owner, OTHER_PASSWORD).await.assert_status(401);

    // The time does not tell them apart either: both answer after the same work (a hash), and the
    // rest happens after the answer. Medians of alternated tries.
    let mut times = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        app.register(&owner, OTHER_PASSWORD).await.assert_status(201);
        times.0.push(started.elapsed());
        let started = Instant::now();
        app.register(&unique_email(), OTHER_PASSWORD).await.assert_status(201);
        times.1.push(started.elapsed());
    }
    let median = |t: &mut Vec<Duration>| {
        t.sort();
        t[t.len() / 2]
    };
    let (taken, fresh) = (median(&mut times.0), median(&mut times.1));
    let gap = taken.abs_diff(fresh);
    assert!(gap < fresh.max(taken) / 2 + Duration::from_millis(20), "taken {taken:?} vs new {fresh:?}");
}

async fn a_squatted_unverified_address_goes_to_whoever_verifies_it(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, verified(&sink)).await;
    let email = unique_email();
    app.registered(&email, OTHER_PASSWORD).await; // someone else's, never verified
    let squatter_code = verification_code(&sink.nth_mail_to(&email, 1).await);

    app.registered(&email, PASSWORD).await; // the owner
    let owner_code = verification_code(&sink.nth_mail_to(&email, 2).await);
    verify(&app, &email, &squatter_code).await.assert_refused(400, "invalid_code", "Invalid or expired code");
    let signed_in = verify(&app, &email, &owner_code).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(app.login(&email, PASSWORD).await.status, 200);
    app.login(&email, OTHER_PASSWORD).await.assert_status(401);
}

async fn a_resend_answers_alike_for_every_address_and_is_limited(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        verified(&sink)(c);
        c.registration.verification_by_email = Some(RateLimit { max: 3, window: Duration::from_secs(3600) });
    })
    .await;
    let (pending, done, nobody) = (unique_email(), unique_email(), unique_email());
    app.registered(&pending, PASSWORD).await;
    app.registered(&done, PASSWORD).await;
    let code = verification_code(&sink.nth_mail_to(&done, 1).await);
    assert_eq!(verify(&app, &done, &code).await.status, 200);
    sink.nth_mail_to(&pending, 1).await;

    let answers = [resend(&app, &nobody).await, resend(&app, &done).await, resend(&app, &pending).await];
    for answer in &answers {
        assert_eq!((answer.status.as_u16(), &answer.body), (202, &json!({ "message": RESENT })), "{}", answer.text);
    }
    let newer = verification_code(&sink.nth_mail_to(&pending, 2).await);
    for email in [&nobody, &done] {
        audited(&app, "verification_sent", email, 1).await;
    }
    assert!(sink.mails_to(&nobody).is_empty());
    assert_eq!(sink.mails_to(&done).len(), 1, "a verified address gets no code");

    // The registration and two resends are the address's three codes this hour.
    assert_eq!(resend(&app, &pending).await.status, 202);
    resend(&app, &pending).await.assert_status(429);
    resend(&app, "not-an-address").await.assert_refused(400, "invalid_email", "Invalid email format");
    assert_eq!(verify(&app, &pending, &verification_code(&sink.nth_mail_to(&pending, 3).await)).await.status, 200);
    verify(&app, &pending, &newer).await.assert_status(400);
}

async fn verification_tries_and_resends_are_limited_per_client_address(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        verified(&sink)(c);
        c.registration.verification_by_address = Some(RateLimit { max: 3, window: Duration::from_secs(3600) });
    })
    .await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let code = verification_code(&sink.nth_mail_to(&email, 1).await);
    verify(&app, &email, &wrong(&code)).await.assert_status(400);
    verify(&app, &unique_email(), &code).await.assert_status(400);
    resend(&app, &unique_email()).await.assert_status(202);
    let limited = verify(&app, &email, &code).await;
    assert_eq!(limited.status, 429, "the right code too, once the client's tries are spent: {}", limited.text);
    assert!(limited.header("retry-after").is_some());
    resend(&app, &email).await.assert_status(429);
}

async fn a_password_reset_verifies_the_address(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, verified(&sink)).await;
    let email = unique_email();
    app.registered(&email, OTHER_PASSWORD).await;
    sink.nth_mail_to(&email, 1).await;
    post(&app, "/api/auth/password-reset/request", None, json!({ "email": email })).await.assert_status(202);
    let reset = common::smtp::reset_code(&sink.nth_mail_to(&email, 2).await);
    let body = json!({ "email": email, "code": reset, "new_password": PASSWORD });
    post(&app, "/api/auth/password-reset/confirm", None, body).await.assert_status(200);
    let signed_in = app.login(&email, PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(signed_in.body["user"]["email_verified"], true);
}

async fn the_pruner_deletes_old_unverified_accounts_and_nothing_else(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, verified(&sink)).await;
    let (pending, kept) = (unique_email(), unique_email());
    app.registered(&pending, PASSWORD).await;
    app.registered(&kept, PASSWORD).await;
    assert_eq!(verify(&app, &kept, &verification_code(&sink.nth_mail_to(&kept, 1).await)).await.status, 200);
    // An account from before verification existed: unverified, but never pending.
    let older =
        UserRecord { id: uuid::Uuid::new_v4(), email: unique_email(), created_at: store::now(), ..Default::default() };
    app.store.insert_user(&older, None).await.unwrap();

    let keep = common::retention(Duration::from_secs(86_400), Duration::from_secs(3600));
    let soon = authdesk_server::prune::prune(&app.store, store::now(), keep).await.unwrap();
    assert_eq!(soon.registrations, 0, "a week is not over");
    let later = store::now() + chrono::TimeDelta::days(8);
    let pruned = authdesk_server::prune::prune(&app.store, later, keep).await.unwrap();
    assert_eq!(pruned.registrations, 1);
    assert!(app.store.user_by_email(&pending).await.unwrap().is_none());
    assert!(app.store.user_by_email(&kept).await.unwrap().is_some());
    assert!(app.store.user_by_email(&older.email).await.unwrap().is_some());
}

async fn a_server_switched_to_verified_asks_existing_accounts_at_their_next_sign_in(db: Db) {
    let sink = SmtpSink::start();
    let open = spawn_app_with(db, |_| {}).await;
    let email = unique_email();
    let (_, token) = open.signed_up(&email).await;
    assert_eq!(open.me(&token).await.body["email_verified"], false);
    let db = open.stop().await;

    let app = spawn_on(db, verified(&sink)).await;
    assert_eq!(app.me(&token).await.status, 200, "a session keeps working");
    app.login(&email, PASSWORD).await.assert_refused(403, "email_not_verified", "Email address not verified");
    resend(&app, &email).await.assert_status(202);
    let signed_in = verify(&app, &email, &verification_code(&sink.nth_mail_to(&email, 1).await)).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    assert_eq!(app.login(&email, PASSWORD).await.status, 200);
}

async fn an_open_server_answers_as_the_original_design(db: Db) {
    let app = spawn_app_with(db, |_| {}).await;
    let info = app.request(reqwest::Method::GET, "/api/auth/registration", None, None).await;
    assert_eq!(info.body, json!({ "mode": "open", "allowed_domains": [] }));
    let email = unique_email();
    let registered = app.register(&email, PASSWORD).await;
    assert_eq!(registered.status, 201);
    assert_eq!(keys(&registered.body), ["email", "message", "user_id"]);
    assert_eq!(registered.body["message"], "User registered successfully");
    app.register(&email, PASSWORD).await.assert_refused(409, "email_taken", "Email already registered");
    let signed_in = app.login(&email, PASSWORD).await;
    assert_eq!(signed_in.status, 200);
    assert_eq!(signed_in.body["user"]["email_verified"], false);
}
