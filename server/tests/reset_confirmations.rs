//! Guessing at reset codes: confirmations are limited per client address and per email (known or
//! not), and what a client sends with them (its name, its user agent, the address as typed) is
//! kept plain and bounded in the audit log.

use crate::common;

use authdesk_server::store::AuditFilter;
use authdesk_server::RateLimit;
use common::sql::OtherClient;
use common::{output_within, spawn_app, spawn_app_with, unique_email, Db, TestApp};
use reqwest::Method;
use serde_json::json;

both_backends!(
    confirmations_are_limited_per_client_address,
    confirmations_are_limited_per_email_known_or_not,
    what_a_client_sends_is_kept_plain_and_bounded_in_the_audit_log,
    rows_an_older_version_wrote_are_printed_escaped_by_the_admin_command,
);

const NEW_PASSWORD: &str = "N3w!Passw0rd-2026";

async fn confirm_as(app: &TestApp, email: &str, client: &[u8]) -> common::Reply {
    let body = json!({"email": email, "code": "12345678", "new_password": NEW_PASSWORD});
    let client = reqwest::header::HeaderValue::from_bytes(client).unwrap();
    let request = app.http.post(app.url("/api/auth/password-reset/confirm")).header("X-Client-Name", client);
    common::Reply::from(request.json(&body).send().await.unwrap()).await
}

async fn confirm(app: &TestApp, email: &str) -> common::Reply {
    let body = json!({"email": email, "code": "12345678", "new_password": NEW_PASSWORD});
    app.request(Method::POST, "/api/auth/password-reset/confirm", None, Some(body)).await
}

/// Three tries an hour from one address, whatever emails they name; the fourth is refused with
/// a time to wait.
async fn confirmations_are_limited_per_client_address(db: Db) {
    let app = spawn_app_with(db, |c| {
        c.password_reset_confirm_by_address = RateLimit::parse("3/hour").unwrap();
        c.password_reset_confirm_by_email = None;
    })
    .await;
    for _ in 0..3 {
        confirm(&app, &unique_email()).await.assert_error(400, "Invalid or expired code");
    }
    let limited = confirm(&app, &unique_email()).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    assert!(limited.header("retry-after").is_some());
}

/// Two tries an hour for one address, whether or not an account has it (the limit itself tells
/// nothing); another address is not held back.
async fn confirmations_are_limited_per_email_known_or_not(db: Db) {
    let app = spawn_app_with(db, |c| {
        c.password_reset_confirm_by_address = None;
        c.password_reset_confirm_by_email = RateLimit::parse("2/hour").unwrap();
    })
    .await;
    let known = unique_email();
    app.signed_up(&known).await;
    for email in [known.clone(), unique_email()] {
        for _ in 0..2 {
            confirm(&app, &email).await.assert_error(400, "Invalid or expired code");
        }
        assert_eq!(confirm(&app, &email.to_uppercase()).await.status, 429, "{email}");
    }
    confirm(&app, &unique_email()).await.assert_error(400, "Invalid or expired code");
}

/// A client name of 10,000 characters with a tab and a right-to-left override (what HTTP lets a
/// header carry: no newline or escape), and an "address" that is a password: the log keeps a
/// bounded plain name and a marker.
async fn what_a_client_sends_is_kept_plain_and_bounded_in_the_audit_log(db: Db) {
    let app = spawn_app_with(db, |c| c.login_rate_limit = None).await;
    let email = unique_email();
    let (id, _) = app.signed_up(&email).await;
    let client = format!("forged\tline \u{202E}gpj.exe {}", "x".repeat(10_000));
    confirm_as(&app, &email, client.as_bytes()).await.assert_error(400, "Invalid or expired code");
    for typed_password in ["Hunter2!secret-password", "Hunter2 secret\npassword"] {
        let refused = app.login(typed_password, "whatever").await;
        assert!(matches!(refused.status.as_u16(), 401 | 422), "{}", refused.text);
    }

    let filter = AuditFilter { limit: 100, ..Default::default() };
    let events = app.store.audit_events(&filter).await.unwrap();
    let reset =
        events.iter().find(|e| e.user_id == Some(id) && e.kind == "password_reset").expect("the try is audited");
    let kept = reset.client.clone().unwrap();
    assert!(kept.chars().count() <= 200, "{} characters kept", kept.chars().count());
    assert!(kept.starts_with("forgedline gpj.exe x"), "{kept:?}");
    assert!(!kept.chars().any(|c| c.is_control() || c == '\u{202E}'), "{kept:?}");
    for e in &events {
        let email = e.email.clone().unwrap_or_default();
        assert!(!email.contains("Hunter2"), "a password typed as the address was kept: {email:?}");
    }
}

/// A row an older version wrote, its address holding a newline and an escape sequence meant for
/// the administrator's terminal: `admin audit` prints it on one line, each escaped.
async fn rows_an_older_version_wrote_are_printed_escaped_by_the_admin_command(db: Db) {
    let app = spawn_app(db).await;
    app.signed_up(&unique_email()).await;
    let escape = match db {
        Db::Sqlite => "char(27)",
        Db::Postgres => "chr(27)",
    };
    let older = OtherClient::connect(&app.db).await;
    older
        .run(&format!(
            "INSERT INTO audit_events (at, type, outcome, email)
             SELECT at, 'login_failed', 'failure', 'eve@example.com' || {escape} || '[2J
2026-12-01 00:00:00  admin_role_granted' FROM audit_events LIMIT 1"
        ))
        .await;
    drop(older);

    let out = output_within(
        std::process::Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
            .args(["admin", "audit", "--type", "login_failed", "--database-url", &app.db.url_string()])
            .env_remove("DATABASE_URL"),
        std::time::Duration::from_secs(60),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("eve@example.com")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(r"eve@example.com\u{1b}[2J\n2026-12-01"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.lines().any(|l| l.starts_with("2026-12-01 00:00:00")), "{text}");
}
