//! The account's export, as its owner keeps it: every live task (page after page for a long list),
//! the sessions and the account's own audit events, and never a secret; a limit per account.

use crate::common;

use std::time::Duration;

use authdesk_contract::{AccountExport, EXPORT_FORMAT};
use authdesk_server::RateLimit;
use common::totp::{post, turn_on};
use common::{spawn_app, spawn_app_with, unique_email, Db, TestApp};
use serde_json::{json, Value};

both_backends!(
    an_export_has_every_live_task_and_no_secret,
    a_long_list_is_exported_whole_page_after_page,
    exports_are_limited_per_account,
);

async fn export(app: &TestApp, token: &str) -> reqwest::Response {
    app.http.get(app.url("/api/account/export")).bearer_auth(token).send().await.unwrap()
}

async fn an_export_has_every_live_task_and_no_secret(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (id, token) = app.signed_up(&email).await;
    let (secret, codes) = turn_on(&app, &token).await;
    let login = app.login(&email, common::PASSWORD).await; // the second factor's step: a challenge
    for title in ["Renew passport", "Call the plumber", "Gone"] {
        app.create_task(&token, title).await.assert_status(201);
    }
    let gone = app.list_tasks(&token).await.body[0]["id"].as_str().unwrap().to_owned();
    app.delete_task(&token, &gone).await.assert_status(204);

    let reply = export(&app, &token).await;
    assert_eq!(reply.status(), 200);
    let disposition = reply.headers()["content-disposition"].to_str().unwrap().to_owned();
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert_eq!(disposition, format!("attachment; filename=\"authdesk-export-{today}.json\""));
    let text = reply.text().await.unwrap();
    let file: AccountExport = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!((file.format.as_str(), file.version), (EXPORT_FORMAT, 1));
    assert_eq!((file.account.id, file.account.email.as_str(), file.account.mfa_enabled), (id, email.as_str(), true));
    let mut titles: Vec<&str> = file.tasks.iter().map(|t| t.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Call the plumber", "Renew passport"], "live tasks only");
    assert!(!file.sessions.is_empty());
    assert!(file.audit_events.iter().any(|e| e.kind == "registered"));
    assert!(file.audit_events.iter().all(|e| e.user_id == Some(id)), "the account's own events only");

    let hash = app.store.user_by_id(id).await.unwrap().unwrap().password_hash;
    let mut secrets = vec![hash.as_str(), secret.as_str(), token.as_str(), common::PASSWORD];
    secrets.extend(codes.iter().map(String::as_str));
    if let Some(challenge) = login.body["mfa_token"].as_str() {
        secrets.push(challenge);
    }
    for secret in secrets {
        assert!(!text.contains(secret), "the export holds a secret: {secret}");
    }
    assert!(!text.contains("$argon2"), "no hash of any kind");
}

async fn a_long_list_is_exported_whole_page_after_page(db: Db) {
    let app = spawn_app(db).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let many: Vec<Value> = (0..2_500).map(|i| json!({ "title": format!("Task {i}") })).collect();
    let done = post(&app, "/api/tasks/import", Some(&token), json!({ "tasks": many })).await;
    assert_eq!(done.body["created"], 2_500, "{}", done.text);
    let file: AccountExport = export(&app, &token).await.json().await.unwrap();
    assert_eq!(file.tasks.len(), 2_500);
    let ids: std::collections::HashSet<_> = file.tasks.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 2_500, "none twice across pages");
}

async fn exports_are_limited_per_account(db: Db) {
    let limit = RateLimit { max: 2, window: Duration::from_secs(3600) };
    let app = spawn_app_with(db, |c| c.export_limit = Some(limit)).await;
    let (_, token) = app.signed_up(&unique_email()).await;
    let (_, other) = app.signed_up(&unique_email()).await;
    for _ in 0..2 {
        assert_eq!(export(&app, &token).await.status(), 200);
    }
    let limited = export(&app, &token).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(export(&app, &other).await.status(), 200, "per account");
}
