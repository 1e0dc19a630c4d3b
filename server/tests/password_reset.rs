//! Password reset, told as a user meets it: asking for a code, reading it from a real mail server
//! on loopback (aiosmtpd), setting a new password with it; codes that stop working; the limits; the
//! same answer for an address without an account; and the administrator's code for servers
//! without mail.

use crate::common;

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use authdesk_server::config::MailSettings;
use authdesk_server::{Config, RateLimit};
use common::smtp::{reset_code, SmtpSink};
use common::totp::{post, turn_on};
use common::{output_within, spawn_app_with, unique_email, Db, TestApp, PASSWORD};
use serde_json::json;

both_backends!(
    a_forgotten_password_is_reset_with_the_mailed_code,
    an_address_without_an_account_gets_the_same_answer_and_no_mail,
    the_answer_never_waits_for_the_mail_server,
    a_code_is_spent_by_a_newer_one_by_wrong_tries_and_by_time,
    a_refused_new_password_leaves_the_code_unspent,
    requests_are_limited_per_email_and_per_address,
    the_second_factor_stays_on_and_the_lockout_clears,
    an_administrator_issues_a_code_without_mail,
);

const NEW_PASSWORD: &str = "N3w!Passw0rd-2026";
const REQUESTED: &str = "If an account exists for that address, a reset code has been sent.";
const REJECTED: &str = "Invalid or expired code";

fn with_mail(sink: &SmtpSink) -> impl FnOnce(&mut Config) + '_ {
    move |c| c.mail = Some(MailSettings::new(&sink.url, "authdesk <noreply@authdesk.test>").unwrap())
}

/// Waits until `n` reset requests for `email` have been handled: each is audited before anything
/// is mailed (or not), so after that a mail that has not come will not come.
async fn handled(app: &TestApp, email: &str, n: usize) {
    let filter = authdesk_server::store::AuditFilter {
        kind: Some("password_reset_requested".into()),
        limit: 100,
        ..Default::default()
    };
    common::wait_for("the reset requests to be handled", || async {
        let events = app.store.audit_events(&filter).await.unwrap();
        events.iter().filter(|e| e.email.as_deref() == Some(email)).count() >= n
    })
    .await;
}

async fn request(app: &TestApp, email: &str) -> common::Reply {
    post(app, "/api/auth/password-reset/request", None, json!({ "email": email })).await
}

async fn confirm(app: &TestApp, email: &str, code: &str, new_password: &str) -> common::Reply {
    let body = json!({ "email": email, "code": code, "new_password": new_password });
    post(app, "/api/auth/password-reset/confirm", None, body).await
}

/// A code the mailed one is not (same length, one digit changed).
fn wrong(code: &str) -> String {
    let last = code.as_bytes()[7] - b'0';
    format!("{}{}", &code[..7], (last + 1) % 10)
}

async fn a_forgotten_password_is_reset_with_the_mailed_code(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, with_mail(&sink)).await;
    let email = unique_email();
    let (_, old_access) = app.signed_up(&email).await;
    let old = app.login(&email, PASSWORD).await;

    let asked = request(&app, &email.to_uppercase()).await;
    assert_eq!(asked.status, 202, "{}", asked.text);
    assert_eq!(asked.body, json!({ "message": REQUESTED }));
    let mail = sink.nth_mail_to(&email, 1).await;
    assert!(mail.contains("Subject: Your authdesk password reset code"), "{mail}");
    assert!(mail.contains("From: authdesk <noreply@authdesk.test>"), "{mail}");
    let code = reset_code(&mail);

    confirm(&app, &email, &wrong(&code), NEW_PASSWORD).await.assert_error(400, REJECTED);
    // Typed with a space, as the mail's reader might.
    let done = confirm(&app, &email, &format!("{} {}", &code[..4], &code[4..]), NEW_PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.body["message"].as_str().unwrap().contains("reset"), "{}", done.text);

    // Every session ended, the old password is gone, the new one works, the code is spent.
    app.me(&old_access).await.assert_error(401, "Token error: revoked-token");
    let refresh = post(&app, "/api/auth/refresh", None, json!({"refresh_token": old.body["refresh_token"]})).await;
    assert_eq!(refresh.status, 401, "{}", refresh.text);
    app.login(&email, PASSWORD).await.assert_error(401, "Invalid email or password");
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status, 200);
    confirm(&app, &email, &code, "An0ther!Passw0rd").await.assert_error(400, REJECTED);
}

async fn an_address_without_an_account_gets_the_same_answer_and_no_mail(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, with_mail(&sink)).await;
    let (known, unknown) = (unique_email(), unique_email());
    app.signed_up(&known).await;

    let for_unknown = request(&app, &unknown).await;
    let for_known = request(&app, &known).await;
    assert_eq!((for_unknown.status, &for_unknown.body), (for_known.status, &for_known.body));
    let headers = |r: &common::Reply| {
        let mut names: Vec<String> =
            r.headers.keys().map(|k| k.to_string()).filter(|k| k != "date" && k != "content-length").collect();
        names.sort();
        names
    };
    assert_eq!(headers(&for_unknown), headers(&for_known));
    sink.nth_mail_to(&known, 1).await;
    handled(&app, &unknown, 1).await;
    assert_eq!(sink.mails().len(), 1, "only the account's owner gets a mail");
    confirm(&app, &unknown, "12345678", NEW_PASSWORD).await.assert_error(400, REJECTED);
    // An address that cannot be one is told so: that says nothing about any account.
    request(&app, "not-an-address").await.assert_error(400, "Invalid email format");
}

/// A mail server that accepts connections and never says a word.
fn silent_mail_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    (listener, url)
}

async fn the_answer_never_waits_for_the_mail_server(db: Db) {
    let (silent, url) = silent_mail_server();
    let app = spawn_app_with(db, |c| c.mail = Some(MailSettings::new(&url, "noreply@authdesk.test").unwrap())).await;
    let email = unique_email();
    app.signed_up(&email).await;
    let asked = request(&app, &email).await;
    assert_eq!(asked.status, 202, "{}", asked.text);
    // The answer came while the delivery still waits for the mail server's greeting: its
    // connection is open, and it has given up on nothing (it would hang up after 15 s).
    silent.set_nonblocking(true).unwrap();
    let mut delivery = None;
    common::wait_for("the delivery to connect", || {
        let accepted = silent.accept().ok().map(|(stream, _)| stream);
        let connected = accepted.is_some();
        delivery = delivery.take().or(accepted);
        async move { connected }
    })
    .await;
    let delivery = delivery.unwrap();
    delivery.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    let waiting =
        matches!(std::io::Read::read(&mut &delivery, &mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    assert!(waiting, "the delivery was over when the answer came");
}

async fn a_code_is_spent_by_a_newer_one_by_wrong_tries_and_by_time(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        with_mail(&sink)(c);
        c.password_reset_code_ttl = Duration::from_secs(2);
    })
    .await;
    let email = unique_email();
    app.signed_up(&email).await;

    // A newer request replaces the code.
    request(&app, &email).await.assert_status(202);
    let first = reset_code(&sink.nth_mail_to(&email, 1).await);
    request(&app, &email).await.assert_status(202);
    let second = reset_code(&sink.nth_mail_to(&email, 2).await);
    confirm(&app, &email, &first, NEW_PASSWORD).await.assert_error(400, REJECTED);

    // Five wrong tries spend it, even though the sixth is right.
    for _ in 0..5 {
        confirm(&app, &email, &wrong(&second), NEW_PASSWORD).await.assert_error(400, REJECTED);
    }
    confirm(&app, &email, &second, NEW_PASSWORD).await.assert_error(400, REJECTED);

    // A code too old no longer works.
    request(&app, &email).await.assert_status(202);
    let third = reset_code(&sink.nth_mail_to(&email, 3).await);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    confirm(&app, &email, &third, NEW_PASSWORD).await.assert_error(400, REJECTED);
    assert_eq!(app.login(&email, PASSWORD).await.status, 200, "the password never changed");
}

async fn a_refused_new_password_leaves_the_code_unspent(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, with_mail(&sink)).await;
    let email = unique_email();
    app.signed_up(&email).await;
    request(&app, &email).await.assert_status(202);
    let code = reset_code(&sink.nth_mail_to(&email, 1).await);

    // More refusals than the code has tries: none of them costs one.
    for _ in 0..6 {
        confirm(&app, &email, &code, "short").await.assert_error(400, "Password must be at least 8 characters long");
    }
    assert_eq!(confirm(&app, &email, &code, NEW_PASSWORD).await.status, 200);
}

async fn requests_are_limited_per_email_and_per_address(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        with_mail(&sink)(c);
        c.password_reset_by_email = Some(RateLimit { max: 2, window: Duration::from_secs(3600) });
        c.password_reset_by_address = Some(RateLimit { max: 6, window: Duration::from_secs(3600) });
    })
    .await;
    let (known, unknown) = (unique_email(), unique_email());
    app.signed_up(&known).await;
    // Per email, known or not, alike.
    for email in [&known, &unknown] {
        for _ in 0..2 {
            assert_eq!(request(&app, email).await.status, 202);
        }
        let limited = request(&app, email).await;
        assert_eq!(limited.status, 429, "{}", limited.text);
        assert!(limited.detail().starts_with("Too many password reset requests"), "{}", limited.text);
        assert!(limited.header("retry-after").is_some());
    }
    // Per address: this client has made 6 requests, the limit, whatever the emails.
    let limited = request(&app, &unique_email()).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    sink.nth_mail_to(&known, 2).await;
    // Every accepted request has been handled (2 for each address): nothing more can come.
    handled(&app, &known, 2).await;
    handled(&app, &unknown, 2).await;
    assert_eq!(sink.mails().len(), 2, "a refused request sends nothing");
}

async fn the_second_factor_stays_on_and_the_lockout_clears(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, |c| {
        with_mail(&sink)(c);
        c.account_lockout = Some(RateLimit { max: 3, window: Duration::from_secs(900) });
    })
    .await;
    let email = unique_email();
    let (_, token) = app.signed_up(&email).await;
    turn_on(&app, &token).await;
    for _ in 0..3 {
        app.login(&email, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    }
    assert_eq!(app.login(&email, PASSWORD).await.status, 429, "locked out");

    request(&app, &email).await.assert_status(202);
    let code = reset_code(&sink.nth_mail_to(&email, 1).await);
    assert_eq!(confirm(&app, &email, &code, NEW_PASSWORD).await.status, 200);
    // Not locked out any more, and still asked for the second factor.
    app.login(&email, NEW_PASSWORD).await.assert_error(401, "Two-factor code required");
}

async fn an_administrator_issues_a_code_without_mail(db: Db) {
    let app = spawn_app_with(db, |_| {}).await;
    let email = unique_email();
    app.signed_up(&email).await;
    // Without mail the request is answered the same, and nothing else happens.
    assert_eq!(request(&app, &email).await.status, 202);

    let admin = |email: &str| {
        let out = output_within(
            Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
                .args(["admin", "reset-code", email, "--database-url", &app.db.url_string()])
                .env_remove("DATABASE_URL")
                .env_remove("BETTER_AUTH_SECRET"),
            Duration::from_secs(60),
        );
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, stdout, stderr) = admin(&email.to_uppercase());
    assert!(ok, "{stdout}{stderr}");
    let line = stdout.lines().next().unwrap();
    assert!(line.starts_with(&format!("Password reset code for {email}: ")), "{stdout}");
    let code = line.rsplit(' ').next().unwrap().to_owned();
    assert_eq!(code.len(), 8, "{stdout}");
    assert_eq!(confirm(&app, &email, &code, NEW_PASSWORD).await.status, 200);
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status, 200);

    let (ok, _, stderr) = admin(&unique_email());
    assert!(!ok);
    assert!(stderr.contains("no account has the address"), "{stderr}");
}
