//! Administration, told as an administrator meets it: finding accounts, disabling one (its sessions
//! end at once, its password then opens nothing), ending sessions, the audit log of who did what
//! from where, request ids, and the same through `authdesk-server admin` on the database.

use crate::common;

use std::process::Command;
use std::time::Duration;

use authdesk_server::store::{AuditEvent, Role};
use common::totp::post;
use std::sync::Arc;

use authdesk_server::RateLimit;
use common::{output_within, spawn_app, spawn_on, unique_email, Db, Reply, TestApp, TestDb, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

both_backends!(
    a_disabled_account_is_signed_out_at_once_and_its_password_opens_nothing,
    only_administrators_reach_the_admin_api,
    administrators_find_accounts_page_by_page,
    the_audit_log_says_who_did_what_from_where_and_never_a_secret,
    every_response_carries_a_request_id,
    administrators_cannot_lock_themselves_out,
    the_admin_command_manages_accounts_on_the_database,
    old_audit_events_are_pruned,
    three_instances_on_one_database_agree,
);

/// Signs up a user and makes them an administrator (as `admin users grant-admin` would): their token.
async fn an_admin(app: &TestApp) -> (Uuid, String) {
    let (id, _) = app.signed_up(&unique_email()).await;
    app.store.set_role(id, Role::Admin, &AuditEvent::default()).await.unwrap();
    let email = app.store.user_by_id(id).await.unwrap().unwrap().email;
    let login = app.login(&email, PASSWORD).await;
    (id, login.body["access_token"].as_str().unwrap().to_owned())
}

async fn get(app: &TestApp, path: &str, token: &str) -> Reply {
    app.request(Method::GET, path, Some(token), None).await
}

fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}")).to_owned()
}

async fn a_disabled_account_is_signed_out_at_once_and_its_password_opens_nothing(db: Db) {
    let app = spawn_app(db).await;
    let (_, admin) = an_admin(&app).await;
    let email = unique_email();
    let (id, token) = app.signed_up(&email).await;
    let other = app.login(&email, PASSWORD).await;

    let disabled = post(&app, &format!("/api/admin/users/{id}/disable"), Some(&admin), json!({})).await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.body["disabled"], true);
    app.me(&token).await.assert_error(401, "Token error: revoked-token");
    let refresh = post(&app, "/api/auth/refresh", None, json!({"refresh_token": other.body["refresh_token"]})).await;
    assert_eq!(refresh.status, 401, "{}", refresh.text);
    // The right password is told; a wrong one hears what it always hears.
    app.login(&email, PASSWORD).await.assert_error(403, "This account is disabled");
    app.login(&email, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");

    let enabled = post(&app, &format!("/api/admin/users/{id}/enable"), Some(&admin), json!({})).await;
    assert_eq!(enabled.body["disabled"], false, "{}", enabled.text);
    let back = app.login(&email, PASSWORD).await;
    assert_eq!(back.status, 200, "{}", back.text);
    // The sessions it had stay ended.
    app.me(&token).await.assert_error(401, "Token error: revoked-token");

    // Ending its sessions: the original sentence, and how many as a number.
    let ended = app.request(Method::DELETE, &format!("/api/admin/users/{id}/sessions"), Some(&admin), None).await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    assert_eq!(ended.body, json!({"message": "Signed out of 1 session", "revoked": 1}));
    app.me(&s(&back.body, "access_token")).await.assert_error(401, "Token error: revoked-token");
}

async fn only_administrators_reach_the_admin_api(db: Db) {
    let app = spawn_app(db).await;
    let (id, token) = app.signed_up(&unique_email()).await;
    for (method, path) in [
        (Method::GET, "/api/admin/users".to_owned()),
        (Method::GET, format!("/api/admin/users/{id}")),
        (Method::POST, format!("/api/admin/users/{id}/disable")),
        (Method::POST, format!("/api/admin/users/{id}/enable")),
        (Method::DELETE, format!("/api/admin/users/{id}/sessions")),
        (Method::GET, "/api/admin/audit".to_owned()),
    ] {
        let refused = app.request(method.clone(), &path, Some(&token), None).await;
        refused.assert_error(403, "Administrator access required");
        app.request(method, &path, None, None).await.assert_error(401, "Authorization header required");
    }
    assert_eq!(app.me(&token).await.status, 200, "a refusal is no sign-out");
}

async fn administrators_find_accounts_page_by_page(db: Db) {
    let app = spawn_app(db).await;
    let (_, admin) = an_admin(&app).await;
    let tag = Uuid::new_v4().simple().to_string()[..8].to_owned();
    for n in 0..5 {
        app.signed_up(&format!("{tag}-{n}@Example.com")).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/admin/users?query={}&limit=2&cursor={c}", tag.to_uppercase()),
            None => format!("/api/admin/users?query={}&limit=2", tag.to_uppercase()),
        };
        let page = get(&app, &path, &admin).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let users = page.body["users"].as_array().unwrap();
        assert!(users.len() <= 2);
        seen.extend(users.iter().map(|u| s(u, "email")));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let expected: Vec<String> = (0..5).map(|n| format!("{tag}-{n}@example.com")).collect();
    assert_eq!(seen, expected, "every match, in order, once");
    // Wildcards are matched as text.
    let none = get(&app, "/api/admin/users?query=%25", &admin).await;
    assert_eq!(none.body["users"], json!([]), "{}", none.text);

    let first = get(&app, &format!("/api/admin/users?query={tag}-0"), &admin).await;
    let id = s(&first.body["users"][0], "id");
    let one = get(&app, &format!("/api/admin/users/{id}"), &admin).await;
    assert_eq!((one.body["role"].clone(), one.body["mfa_enabled"].clone()), (json!("user"), json!(false)));
    assert_eq!(one.body["active_sessions"], 1, "{}", one.text);
    get(&app, &format!("/api/admin/users/{}", Uuid::new_v4()), &admin).await.assert_error(404, "User not found");
    get(&app, "/api/admin/users/not-a-uuid", &admin).await.assert_error(404, "User not found");
}

async fn the_audit_log_says_who_did_what_from_where_and_never_a_secret(db: Db) {
    let app = spawn_app(db).await;
    let (admin_id, admin) = an_admin(&app).await;
    let email = unique_email();
    let send = |path: &str, body: Value, request_id: &str| {
        app.http
            .post(app.url(path))
            .header("x-client-name", "audit test client")
            .header("x-request-id", request_id)
            .json(&body)
    };
    assert_eq!(
        send("/api/auth/register", json!({"email": email, "password": PASSWORD}), "req-register")
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let wrong = send("/api/auth/login", json!({"email": email, "password": "Wr0ng!Password"}), "req-wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let unknown = unique_email();
    send("/api/auth/login", json!({"email": unknown, "password": "Wr0ng!Password"}), "req-unknown")
        .send()
        .await
        .unwrap();
    let login: Value = send("/api/auth/login", json!({"email": email, "password": PASSWORD}), "req-login")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = s(&login, "access_token");
    let user_id = s(&login, "user_id");
    let changed = app
        .http
        .post(app.url("/api/auth/password"))
        .bearer_auth(&token)
        .json(&json!({"current_password": PASSWORD, "new_password": "N3w!Passw0rd"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    post(&app, &format!("/api/admin/users/{user_id}/disable"), Some(&admin), json!({})).await.assert_status(200);

    let page = get(&app, &format!("/api/admin/audit?user_id={user_id}&limit=100"), &admin).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let events = page.body["events"].as_array().unwrap().clone();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["admin_user_disabled", "password_changed", "login_succeeded", "login_failed", "registered"],
        "newest first: {}",
        page.text
    );
    let by_kind = |k: &str| events.iter().find(|e| e["type"] == k).unwrap().clone();
    let registered = by_kind("registered");
    assert_eq!(registered["outcome"], "success");
    assert_eq!(registered["email"], json!(email));
    assert_eq!(registered["client_ip"], "127.0.0.1");
    assert_eq!(registered["client"], "audit test client");
    // The server's own id for the request, not the one the client chose.
    let request_id = registered["request_id"].as_str().unwrap();
    assert!(Uuid::parse_str(request_id).is_ok(), "{request_id}");
    let failed = by_kind("login_failed");
    assert_eq!(
        (failed["outcome"].clone(), failed["details"]["reason"].clone()),
        (json!("failure"), json!("bad_credentials"))
    );
    assert_eq!(by_kind("login_succeeded")["session_id"], login["session_id"]);
    let disabled = by_kind("admin_user_disabled");
    assert_eq!(disabled["actor_id"], json!(admin_id.to_string()));

    // Failures for an address with no account are recorded by the address.
    let about_unknown = get(&app, "/api/admin/audit?type=login_failed&limit=100", &admin).await;
    assert!(
        about_unknown.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["email"] == json!(unknown) && e["user_id"].is_null()),
        "{}",
        about_unknown.text
    );

    // Paging: one at a time, the same events in the same order.
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = get(&app, &format!("/api/admin/audit?user_id={user_id}&limit=1&cursor={cursor}"), &admin).await;
        paged.extend(page.body["events"].as_array().unwrap().iter().map(|e| e["id"].clone()));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(paged, events.iter().map(|e| e["id"].clone()).collect::<Vec<_>>());
    let future = get(&app, "/api/admin/audit?since=2999-01-01", &admin).await;
    assert_eq!(future.body["events"], json!([]));
    get(&app, "/api/admin/audit?since=yesterday", &admin)
        .await
        .assert_error(400, "since must be a date (2026-11-01) or an RFC 3339 time");

    // Nothing secret, anywhere in the log.
    let everything = get(&app, "/api/admin/audit?limit=200", &admin).await.text;
    for secret in [PASSWORD, "Wr0ng!Password", "N3w!Passw0rd", token.as_str(), login["refresh_token"].as_str().unwrap()]
    {
        assert!(!everything.contains(secret), "the audit log holds {secret}");
    }
}

async fn every_response_carries_a_request_id(db: Db) {
    let app = spawn_app(db).await;
    // (the server's id, the client's id echoed)
    let with = |id: Option<&str>| {
        let mut req = app.http.get(app.url("/api/health"));
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        async move {
            let reply = req.send().await.unwrap();
            let header = |name| reply.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
            (header("x-request-id"), header("x-client-request-id"))
        }
    };
    // A well-formed id of the client's is kept beside the server's own, which no client chooses:
    // two requests naming one id still have two ids.
    let (first, echoed) = with(Some("trace-42.a_b")).await;
    let (second, _) = with(Some("trace-42.a_b")).await;
    assert_eq!(echoed.as_deref(), Some("trace-42.a_b"), "a well-formed id is kept");
    assert!(Uuid::parse_str(first.as_deref().unwrap()).is_ok() && first != second, "{first:?} {second:?}");
    for bad in [None, Some("has space"), Some("<script>"), Some(&*"x".repeat(65))] {
        let (given, echoed) = with(bad).await;
        let given = given.unwrap_or_else(|| panic!("no id for {bad:?}"));
        assert!(Uuid::parse_str(&given).is_ok(), "{bad:?} got {given}");
        assert_eq!(echoed, None, "{bad:?} is not echoed");
    }
    let error = app.http.get(app.url("/api/nowhere")).send().await.unwrap();
    assert!(error.headers().contains_key("x-request-id"), "errors too");
}

async fn administrators_cannot_lock_themselves_out(db: Db) {
    let app = spawn_app(db).await;
    let (id, admin) = an_admin(&app).await;
    post(&app, &format!("/api/admin/users/{id}/disable"), Some(&admin), json!({}))
        .await
        .assert_error(400, "You cannot disable your own account");
    assert_eq!(get(&app, "/api/admin/users", &admin).await.status, 200);
}

/// Runs `authdesk-server admin <args…> --json` on the test's database: (success, stdout, stderr).
fn admin_command(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = output_within(
        Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
            .arg("admin")
            .args(args)
            .args(["--database-url", &app.db.url_string()])
            .env_remove("DATABASE_URL"),
        Duration::from_secs(60),
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_of(run: (bool, String, String)) -> Value {
    assert!(run.0, "{}{}", run.1, run.2);
    serde_json::from_str(&run.1).unwrap_or_else(|e| panic!("{e}: {}", run.1))
}

async fn the_admin_command_manages_accounts_on_the_database(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (id, token) = app.signed_up(&email).await;

    let listed = json_of(admin_command(&app, &["users", "list", "--query", &email[..12], "--json"]));
    assert_eq!(listed[0]["email"], json!(email), "{listed}");
    let shown = json_of(admin_command(&app, &["users", "show", &email.to_uppercase(), "--json"]));
    assert_eq!((shown["id"].clone(), shown["active_sessions"].clone()), (json!(id.to_string()), json!(1)));

    let granted = json_of(admin_command(&app, &["users", "grant-admin", &email, "--json"]));
    assert_eq!(granted["role"], "admin");
    assert_eq!(get(&app, "/api/admin/users", &token).await.status, 200, "the role holds over HTTP at once");

    let disabled = json_of(admin_command(&app, &["users", "disable", &email, "--json"]));
    assert_eq!(disabled["disabled"], true);
    app.me(&token).await.assert_error(401, "Token error: revoked-token");
    json_of(admin_command(&app, &["users", "enable", &email, "--json"]));
    let login = app.login(&email, PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let ended = json_of(admin_command(&app, &["users", "revoke-sessions", &email, "--json"]));
    assert_eq!(ended["sessions_ended"], 1);
    app.me(login.body["access_token"].as_str().unwrap()).await.assert_error(401, "Token error: revoked-token");

    let audit = json_of(admin_command(&app, &["audit", "--user", &email, "--type", "admin_user_disabled", "--json"]));
    let event = &audit[0];
    assert_eq!(
        (event["type"].clone(), event["client"].clone()),
        (json!("admin_user_disabled"), json!("authdesk-server admin"))
    );
    assert!(event["actor_id"].is_null(), "the operator at the database has no account: {event}");

    // Text for a person.
    let (ok, text, _) = admin_command(&app, &["users", "show", &email]);
    assert!(ok && text.contains(&email) && text.contains("admin") && text.contains("active sessions: 0"), "{text}");
    let (ok, _, stderr) = admin_command(&app, &["users", "disable", &unique_email()]);
    assert!(!ok && stderr.contains("no account has the address"), "{stderr}");
}

async fn old_audit_events_are_pruned(db: Db) {
    let app = spawn_app(db).await;
    // Within the retention today (the server's own pruning, which runs at start, keeps both); a
    // pass 85 days from now finds the older one past it.
    let now = authdesk_server::store::now();
    let days = chrono::TimeDelta::days;
    let old = AuditEvent {
        at: now - days(10),
        kind: "login_failed".into(),
        outcome: "failure".into(),
        ..AuditEvent::default()
    };
    let recent = AuditEvent { at: now - days(1), ..old.clone() };
    app.store.record_audit(&old).await.unwrap();
    app.store.record_audit(&recent).await.unwrap();
    let later = now + days(85);
    let pruned = authdesk_server::prune::prune(
        &app.store,
        later,
        common::retention(Duration::from_secs(90 * 86_400), Duration::from_secs(3600)),
    )
    .await
    .unwrap();
    assert_eq!(pruned.audit_events, 1);
    let all = authdesk_server::store::AuditFilter { limit: 10, ..Default::default() };
    let left = app.store.audit_events(&all).await.unwrap();
    assert_eq!(left.iter().map(|e| e.at).collect::<Vec<_>>(), vec![recent.at]);
}

async fn three_instances_on_one_database_agree(db: Db) {
    let shared = Arc::new(TestDb::new(db).await);
    let lockout = |c: &mut authdesk_server::Config| {
        c.account_lockout = Some(RateLimit { max: 3, window: Duration::from_secs(900) });
    };
    let (a, b, c) = tokio::join!(
        spawn_on(shared.clone(), lockout),
        spawn_on(shared.clone(), lockout),
        spawn_on(shared.clone(), lockout)
    );
    let (_, admin) = an_admin(&a).await;
    let email = unique_email();
    let (id, _) = b.signed_up(&email).await;
    let token = c.login(&email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    for app in [&a, &b, &c] {
        assert_eq!(app.me(&token).await.status, 200);
    }

    // A disable on one instance holds on the others at once; so does the enable, from another.
    post(&a, &format!("/api/admin/users/{id}/disable"), Some(&admin), json!({})).await.assert_status(200);
    for app in [&b, &c] {
        app.me(&token).await.assert_error(401, "Token error: revoked-token");
        app.login(&email, PASSWORD).await.assert_error(403, "This account is disabled");
    }
    let enabled = post(&c, &format!("/api/admin/users/{id}/enable"), Some(&admin), json!({})).await;
    assert_eq!(enabled.body["disabled"], false, "{}", enabled.text);

    // A sign-out on one instance ends the session on the others.
    let token = b.login(&email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app_post(&a, "/api/auth/logout", &token).await.status, 200);
    for app in [&b, &c] {
        app.me(&token).await.assert_error(401, "Token error: revoked-token");
    }

    // The lockout counts failures on every instance as one.
    for app in [&a, &b, &c] {
        app.login(&email, "Wr0ng!Password").await.assert_error(401, "Invalid email or password");
    }
    let locked = a.login(&email, PASSWORD).await;
    assert_eq!(locked.status, 429, "{}", locked.text);
    // And every instance's audit rows are in the one log.
    let events = get(&c, &format!("/api/admin/audit?user_id={id}&type=login_failed"), &admin).await;
    let wrong_passwords =
        events.body["events"].as_array().unwrap().iter().filter(|e| e["details"]["reason"] == "bad_credentials");
    assert_eq!(wrong_passwords.count(), 3, "{}", events.text);
}

async fn app_post(app: &TestApp, path: &str, token: &str) -> Reply {
    app.request(Method::POST, path, Some(token), None).await
}
