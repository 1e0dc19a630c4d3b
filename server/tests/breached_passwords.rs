//! The breached-password check (`AUTHDESK_BREACHED_PASSWORDS`) against a stand-in of the range API
//! in the test process: a listed password is refused at sign-up and password change, only 5-char
//! hash prefixes are sent, and a service that is slow, down or broken never blocks a sign-up.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use authdesk_server::{Config, DatabaseUrl, Secret};
use axum::http::{StatusCode, Uri};
use axum::Router;
use common::{spawn_app, spawn_app_with, unique_email, Db, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::json;
use sha1::{Digest, Sha1};

both_backends!(
    a_breached_password_is_refused_and_only_a_prefix_is_sent,
    a_slow_service_is_given_up_on_and_sign_up_succeeds,
    a_service_that_is_down_or_broken_is_skipped,
    the_check_is_off_by_default,
    a_reset_with_a_wrong_code_asks_the_service_nothing,
);

const DETAIL: &str = "This password has appeared in a data breach; choose another";
/// Meets the policy, so only the breach check can refuse it.
const BREACHED: &str = "Passw0rd!2024";
/// The stand-in serves for as long as any story could need it, then stops.
const STAND_IN_LIFETIME: Duration = Duration::from_secs(60);

/// The uppercase hex SHA-1 of `password`, as the range API indexes it.
fn sha1_hex(password: &str) -> String {
    Sha1::digest(password.as_bytes()).iter().map(|b| format!("{b:02X}")).collect()
}

/// How the stand-in answers.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Range lines: `BREACHED` listed, `PASSWORD`'s suffix as a zero-count padding line, more padding.
    Answer,
    /// Answers only after this long.
    Sleep(Duration),
    Fail,
    Garbage,
}

/// A range API on 127.0.0.1:0 that records every request target it receives.
struct RangeApi {
    /// What the server is configured with.
    base: String,
    targets: Arc<Mutex<Vec<String>>>,
}

impl RangeApi {
    async fn start(behaviour: Behaviour) -> Self {
        let targets = Arc::new(Mutex::new(Vec::new()));
        let seen = targets.clone();
        // A fallback sees every request, whatever its path, so nothing sent goes unrecorded.
        let router = Router::new().fallback(move |uri: Uri| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(uri.to_string());
                let prefix = uri.path().strip_prefix("/range/").unwrap_or_default().to_owned();
                match behaviour {
                    Behaviour::Answer => (StatusCode::OK, range_lines(&prefix)),
                    Behaviour::Sleep(pause) => {
                        tokio::time::sleep(pause).await;
                        (StatusCode::OK, range_lines(&prefix))
                    }
                    Behaviour::Fail => (StatusCode::INTERNAL_SERVER_ERROR, "upstream error".to_owned()),
                    Behaviour::Garbage => (StatusCode::OK, "<html><body>Maintenance</body></html>".to_owned()),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(STAND_IN_LIFETIME, axum::serve(listener, router)).await;
        });
        Self { base: format!("http://{addr}/range"), targets }
    }

    fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

/// The answer for `prefix`, as HIBP gives it with `Add-Padding`: made-up suffixes with count 0.
fn range_lines(prefix: &str) -> String {
    let mut lines = vec!["00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0".to_owned()];
    for (password, count) in [(BREACHED, 52_256), (PASSWORD, 0)] {
        let hash = sha1_hex(password);
        if hash[..5] == *prefix {
            lines.push(format!("{}:{count}", &hash[5..]));
        }
    }
    lines.push("FFFF7C3A2B6E9F64E2E5C7B1EB1D5EDB0D1:3".to_owned());
    lines.join("\r\n")
}

/// The base URL of a port nothing listens on any more: connections are refused at once.
fn dropped_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/range")
}

/// The same text in fullwidth forms (`Ｐａｓｓ…`), which NFKC turns back into ASCII.
fn fullwidth(text: &str) -> String {
    text.chars().map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()).collect()
}

async fn change_password(app: &TestApp, token: &str, current: &str, new: &str) -> common::Reply {
    let body = json!({"current_password": current, "new_password": new});
    app.request(Method::POST, "/api/auth/password", Some(token), Some(body)).await
}

async fn a_breached_password_is_refused_and_only_a_prefix_is_sent(db: Db) {
    let api = RangeApi::start(Behaviour::Answer).await;
    let app = spawn_app_with(db, |c| c.breached_passwords = Some(api.base.clone())).await;

    let refused = unique_email();
    app.register(&refused, BREACHED).await.assert_error(400, DETAIL);
    // The server checks (and would hash) the normalised form: another spelling is no way round.
    app.register(&unique_email(), &fullwidth(BREACHED)).await.assert_error(400, DETAIL);
    // The policy goes first and costs no request.
    app.register(&unique_email(), "weak").await.assert_error(400, "Password must be at least 8 characters long");
    assert_eq!(api.targets().len(), 2);
    app.login(&refused, BREACHED).await.assert_error(401, "Invalid email or password");

    // PASSWORD's suffix is in its range only as a zero-count padding line: accepted.
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;

    // Refused before the current password is checked, so right and wrong answer the same.
    let before = app.hasher.verifications();
    for current in [PASSWORD, "Wr0ng!Password"] {
        change_password(&app, &token, current, BREACHED).await.assert_error(400, DETAIL);
    }
    assert_eq!(app.hasher.verifications(), before, "the current password was not even checked");
    assert_eq!(change_password(&app, &token, PASSWORD, "An0ther!Passw0rd").await.status, 200);
    assert_eq!(app.login(&email, "An0ther!Passw0rd").await.status, 200);

    // A reset refuses it too, and the refusal leaves the code for a better password.
    let (_, code) = authdesk_server::admin::reset_code(&app.db.url, &email).await.unwrap();
    let reset = |new: &'static str| {
        let body = json!({"email": email, "code": code, "new_password": new});
        app.request(Method::POST, "/api/auth/password-reset/confirm", None, Some(body))
    };
    reset(BREACHED).await.assert_error(400, DETAIL);
    assert_eq!(reset(PASSWORD).await.status, 200);

    // One request per new password judged (two refused sign-ups, one accepted, three changes, two
    // resets), each naming nothing but a 5-char uppercase hex prefix.
    let targets = api.targets();
    assert_eq!(targets.len(), 8, "{targets:?}");
    let breached_hash = sha1_hex(BREACHED);
    assert!(targets.contains(&format!("/range/{}", &breached_hash[..5])), "{targets:?}");
    for target in &targets {
        let prefix = target.strip_prefix("/range/").unwrap_or_else(|| panic!("unexpected target {target}"));
        assert!(prefix.len() == 5 && prefix.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
        for secret in [BREACHED, PASSWORD, "An0ther!Passw0rd", &breached_hash, &breached_hash[5..]] {
            assert!(!target.contains(secret), "{target} reveals {secret}");
        }
    }
}

async fn a_slow_service_is_given_up_on_and_sign_up_succeeds(db: Db) {
    // A service that never answers: a sign-up that waited for it would never end.
    let api = RangeApi::start(Behaviour::Sleep(Duration::from_secs(3600))).await;
    let app = spawn_app_with(db, |c| c.breached_passwords = Some(api.base.clone())).await;
    let email = unique_email();
    let reply = tokio::time::timeout(Duration::from_secs(20), app.register(&email, BREACHED))
        .await
        .expect("the sign-up waited for a service that never answers");
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(api.targets().len(), 1, "the service was asked");
    assert_eq!(app.login(&email, BREACHED).await.status, 200);
}

async fn a_service_that_is_down_or_broken_is_skipped(db: Db) {
    let failing = RangeApi::start(Behaviour::Fail).await;
    let garbage = RangeApi::start(Behaviour::Garbage).await;
    for (what, base) in [("down", dropped_port()), ("500", failing.base.clone()), ("garbage", garbage.base.clone())] {
        let app = spawn_app_with(db, |c| c.breached_passwords = Some(base)).await;
        let email = unique_email();
        let reply = app.register(&email, BREACHED).await;
        assert_eq!(reply.status, 201, "{what}: {}", reply.text);
        assert_eq!(app.login(&email, BREACHED).await.status, 200, "{what}");
    }
    assert_eq!(failing.targets().len(), 1);
    assert_eq!(garbage.targets().len(), 1);
}

async fn the_check_is_off_by_default(db: Db) {
    let defaults = Config::new(DatabaseUrl::Sqlite("unused.db".into()), Secret::generate());
    assert_eq!(defaults.breached_passwords, None, "the desktop app's embedded server uses these");
    // A service is running, but nothing names it: sign-up does not look for one.
    let api = RangeApi::start(Behaviour::Answer).await;
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    assert_eq!(app.register(&unique_email(), BREACHED).await.status, 201);
    assert_eq!(change_password(&app, &token, PASSWORD, BREACHED).await.status, 200);
    assert!(api.targets().is_empty());
}

/// Only a right reset code earns the outbound check: a stranger's guesses cost the service (and the
/// server's quota with it) nothing, and a breached password refused after a right code leaves the
/// code working.
async fn a_reset_with_a_wrong_code_asks_the_service_nothing(db: Db) {
    let api = RangeApi::start(Behaviour::Answer).await;
    let app = spawn_app_with(db, |c| c.breached_passwords = Some(api.base.clone())).await;
    let email = unique_email();
    let (id, _) = app.signed_up(&email).await;
    let registered = api.targets().len();
    let ttl = Duration::from_secs(600);
    let code = authdesk_server::auth::reset::issue_code(&app.store, id, authdesk_server::store::now(), ttl)
        .await
        .unwrap()
        .unwrap();
    let confirm = |code: String, password: &'static str| {
        let body = json!({"email": email, "code": code, "new_password": password});
        app.request(Method::POST, "/api/auth/password-reset/confirm", None, Some(body))
    };
    let wrong = if code == "00000000" { "11111111" } else { "00000000" };
    confirm(wrong.into(), "N3w!Passw0rd-2026").await.assert_error(400, "Invalid or expired code");
    assert_eq!(api.targets().len(), registered, "a wrong code made an outbound call");
    confirm(code.clone(), BREACHED).await.assert_error(400, DETAIL);
    assert_eq!(api.targets().len(), registered + 1);
    assert_eq!(confirm(code, "N3w!Passw0rd-2026").await.status, 200);
}
