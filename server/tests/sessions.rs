//! Accounts and sessions beyond the original design: refresh rotation with reuse detection,
//! sign-out that revokes, password change and account deletion.

use crate::common;

use std::time::Duration;

use authdesk_server::auth::refresh;
use authdesk_server::store;
use common::{spawn_app, spawn_app_with, unique_email, Db, Reply, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(
    login_opens_a_session_with_a_refresh_token,
    refresh_rotates_and_reuse_of_a_spent_token_kills_the_session,
    racing_refreshes_within_the_grace_window_both_succeed,
    logout_refuses_that_access_token_at_once_and_only_that_one,
    logout_all_ends_every_session_and_older_sessionless_tokens,
    sessions_are_listed_and_revoked_one_by_one,
    password_change_keeps_this_session_and_ends_the_others,
    account_deletion_leaves_nothing_behind,
    a_refresh_token_past_its_lifetime_is_refused,
    a_spent_token_presented_after_the_grace_window_ends_the_session,
    a_sessionless_token_is_refused_after_a_password_change,
    logout_with_a_refresh_token_ends_its_session,
    revoke_others_ends_every_session_but_the_callers_in_one_step,
);

async fn login_as(app: &TestApp, email: &str, password: &str, client: &str) -> Reply {
    let req = app
        .http
        .post(app.url("/api/auth/login"))
        .header("x-client-name", client)
        .json(&json!({"email": email, "password": password}));
    Reply::from(req.send().await.unwrap()).await
}

async fn refresh_with(app: &TestApp, token: &str) -> Reply {
    app.request(Method::POST, "/api/auth/refresh", None, Some(json!({"refresh_token": token}))).await
}

/// `POST /api/auth/logout` with a refresh token in the body and no Authorization header.
async fn logout_with(app: &TestApp, token: &str) -> Reply {
    app.request(Method::POST, "/api/auth/logout", None, Some(json!({"refresh_token": token}))).await
}

fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("no {key} in {v}")).to_owned()
}

async fn login_opens_a_session_with_a_refresh_token(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let login = login_as(&app, &email, PASSWORD, "Laptop").await;
    assert_eq!(login.status, 200, "{}", login.text);
    // The original fields, unchanged, plus the additive ones.
    assert_eq!(login.body["token_type"], "bearer");
    assert_eq!(login.body["expires_in"], 24 * 3600);
    let refresh_token = s(&login.body, "refresh_token");
    assert!(refresh_token.len() >= 43, "256 bits, base64url");
    let access = s(&login.body, "access_token");
    let payload = access.split('.').nth(1).unwrap();
    use base64::Engine as _;
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["sid"], login.body["session_id"]);
    // Only a hash of the refresh token is stored.
    let stored = app.store.refresh_token(&refresh::hash(&refresh_token)).await.unwrap().expect("stored by hash");
    assert_eq!(stored.session_id.to_string(), s(&login.body, "session_id"));
    assert!(app.store.refresh_token(&refresh_token).await.unwrap().is_none());
}

async fn refresh_rotates_and_reuse_of_a_spent_token_kills_the_session(db: Db) {
    let app = spawn_app_with(db, |c| c.refresh_grace = Duration::ZERO).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let login = login_as(&app, &email, PASSWORD, "Laptop").await;
    let first = s(&login.body, "refresh_token");

    let rotated = refresh_with(&app, &first).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let second = s(&rotated.body, "refresh_token");
    assert_ne!(second, first, "a new refresh token on every use");
    assert_eq!(rotated.body["session_id"], login.body["session_id"]);
    assert_eq!(rotated.body["user_id"], login.body["user_id"]);
    let access = s(&rotated.body, "access_token");
    assert_eq!(app.me(&access).await.status, 200);
    let third = s(&refresh_with(&app, &second).await.body, "refresh_token");

    // Someone presents the spent first token again: the whole session ends, for every holder.
    let reuse = refresh_with(&app, &first).await;
    assert_eq!(reuse.status, 401);
    assert!(reuse.detail().contains("already used"), "{}", reuse.detail());
    app.me(&access).await.assert_error(401, "Token error: revoked-token");
    refresh_with(&app, &third).await.assert_error(401, "This session has been signed out. Please sign in again.");
    refresh_with(&app, "not-a-token").await.assert_error(401, "Invalid refresh token");
}

async fn racing_refreshes_within_the_grace_window_both_succeed(db: Db) {
    let app = spawn_app(db).await; // default grace: 10 s
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let token = s(&login_as(&app, &email, PASSWORD, "Laptop").await.body, "refresh_token");
    let (a, b) = tokio::join!(refresh_with(&app, &token), refresh_with(&app, &token));
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (200, 200), "{} / {}", a.text, b.text);
    assert_eq!(a.body["refresh_token"], b.body["refresh_token"], "both racers hold the same successor");
    // The session survived and the successor works.
    let next = refresh_with(&app, &s(&a.body, "refresh_token")).await;
    assert_eq!(next.status, 200, "{}", next.text);
    assert_eq!(app.me(&s(&b.body, "access_token")).await.status, 200);
}

async fn logout_refuses_that_access_token_at_once_and_only_that_one(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let laptop = login_as(&app, &email, PASSWORD, "Laptop").await;
    let phone = login_as(&app, &email, PASSWORD, "Phone").await;
    let laptop_token = s(&laptop.body, "access_token");

    let out = app.request(Method::POST, "/api/auth/logout", Some(&laptop_token), None).await;
    assert_eq!(out.status, 200, "{}", out.text);
    app.me(&laptop_token).await.assert_error(401, "Token error: revoked-token");
    app.list_tasks(&laptop_token).await.assert_error(401, "Token error: revoked-token");
    refresh_with(&app, &s(&laptop.body, "refresh_token"))
        .await
        .assert_error(401, "This session has been signed out. Please sign in again.");
    assert_eq!(app.me(&s(&phone.body, "access_token")).await.status, 200, "other sessions keep working");
}

async fn logout_all_ends_every_session_and_older_sessionless_tokens(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let user_id = s(&app.register(&email, PASSWORD).await.body, "user_id");
    let a = s(&login_as(&app, &email, PASSWORD, "A").await.body, "access_token");
    let b = login_as(&app, &email, PASSWORD, "B").await;
    // A token as the original design minted them: no session id.
    let legacy = common::sessionless_token(&user_id, chrono::Utc::now().timestamp() - 5);
    assert_eq!(app.me(&legacy).await.status, 200, "session-less tokens stay valid until exp");

    let out = app.request(Method::POST, "/api/auth/logout-all", Some(&a), None).await;
    assert_eq!(out.status, 200, "{}", out.text);
    assert_eq!(out.body, json!({"message": "Signed out of 2 sessions", "revoked": 2}));
    for token in [a, s(&b.body, "access_token"), legacy] {
        app.me(&token).await.assert_error(401, "Token error: revoked-token");
    }
    refresh_with(&app, &s(&b.body, "refresh_token"))
        .await
        .assert_error(401, "This session has been signed out. Please sign in again.");
    // Signing in again works.
    assert_eq!(app.me(&s(&login_as(&app, &email, PASSWORD, "C").await.body, "access_token")).await.status, 200);
}

async fn sessions_are_listed_and_revoked_one_by_one(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let laptop = login_as(&app, &email, PASSWORD, "authdesk on laptop").await;
    let browser = Reply::from(
        app.http
            .post(app.url("/api/auth/login"))
            .header("user-agent", "Mozilla/5.0 test browser")
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = s(&laptop.body, "access_token");
    let list = app.request(Method::GET, "/api/auth/sessions", Some(&token), None).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let sessions = list.body.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let mine = sessions.iter().find(|x| x["current"] == true).unwrap();
    assert_eq!(mine["label"], "authdesk on laptop");
    assert_eq!(mine["id"], laptop.body["session_id"]);
    let other = sessions.iter().find(|x| x["current"] == false).unwrap();
    assert_eq!(other["label"], "Mozilla/5.0 test browser");

    // Another user cannot touch it: 404, like an id that does not exist.
    let (_, stranger) = app.signed_up(&unique_email()).await;
    let other_id = s(other, "id");
    for (who, id) in
        [(&stranger, other_id.clone()), (&token, uuid::Uuid::new_v4().to_string()), (&token, "nope".into())]
    {
        app.request(Method::DELETE, &format!("/api/auth/sessions/{id}"), Some(who), None)
            .await
            .assert_error(404, "Session not found");
    }
    assert_eq!(app.me(&s(&browser.body, "access_token")).await.status, 200);

    let revoked = app.request(Method::DELETE, &format!("/api/auth/sessions/{other_id}"), Some(&token), None).await;
    assert_eq!(revoked.status, 204);
    app.me(&s(&browser.body, "access_token")).await.assert_error(401, "Token error: revoked-token");
    let list = app.request(Method::GET, "/api/auth/sessions", Some(&token), None).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
}

async fn password_change_keeps_this_session_and_ends_the_others(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let here = s(&login_as(&app, &email, PASSWORD, "here").await.body, "access_token");
    let there = s(&login_as(&app, &email, PASSWORD, "there").await.body, "access_token");
    let change = |current: &str, new: &str| {
        app.request(
            Method::POST,
            "/api/auth/password",
            Some(&here),
            Some(json!({"current_password": current, "new_password": new})),
        )
    };
    change("Wr0ng!Password", "N3w!Password").await.assert_error(401, "Current password is incorrect");
    change(PASSWORD, "weakpassword").await.assert_error(400, "Password must contain at least one uppercase letter");
    assert_eq!(app.me(&there).await.status, 200, "refused changes end nothing");

    let ok = change(PASSWORD, "N3w!Password").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(app.me(&here).await.status, 200, "the session that changed it stays signed in");
    app.me(&there).await.assert_error(401, "Token error: revoked-token");
    app.login(&email, PASSWORD).await.assert_error(401, "Invalid email or password");
    assert_eq!(app.login(&email, "N3w!Password").await.status, 200);
}

async fn account_deletion_leaves_nothing_behind(db: Db) {
    let app =
        spawn_app_with(db, |c| c.account_lockout = authdesk_server::RateLimit::parse("10/15minutes").unwrap()).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    app.login(&email, "Wr0ng!Password").await.assert_status(401); // leaves a failure counter row
    let login = login_as(&app, &email, PASSWORD, "x").await;
    app.login(&email, "Wr0ng!Password").await.assert_status(401);
    let token = s(&login.body, "access_token");
    let user_id: uuid::Uuid = s(&login.body, "user_id").parse().unwrap();
    app.create_task(&token, "one").await.assert_status(201);
    app.create_task(&token, "two").await.assert_status(201);
    let (_, bystander) = app.signed_up(&unique_email()).await;
    app.create_task(&bystander, "not mine").await.assert_status(201);

    let delete =
        |password: &str| app.request(Method::DELETE, "/api/auth/me", Some(&token), Some(json!({"password": password})));
    delete("Wr0ng!Password").await.assert_error(401, "Password is incorrect");
    assert!(app.store.user_by_id(user_id).await.unwrap().is_some());
    let deleted = delete(PASSWORD).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);

    let since = chrono::Utc::now() - chrono::TimeDelta::days(1);
    assert!(app.store.user_by_id(user_id).await.unwrap().is_none());
    assert!(app.store.list_tasks(user_id).await.unwrap().is_empty());
    assert!(app.store.live_sessions(user_id, since).await.unwrap().is_empty());
    let session_id = s(&login.body, "session_id").parse().unwrap();
    assert!(app.store.session(session_id).await.unwrap().is_none());
    assert!(app.store.refresh_token(&refresh::hash(&s(&login.body, "refresh_token"))).await.unwrap().is_none());
    assert_eq!(app.store.attempts("login-failure", &email, since).await.unwrap(), 0);
    app.me(&token).await.assert_error(401, "Token error: invalid-token");
    assert_eq!(app.list_tasks(&bystander).await.body.as_array().unwrap().len(), 1, "other users untouched");
    // The address is free again.
    assert_eq!(app.register(&email, PASSWORD).await.status, 201);
}

async fn a_refresh_token_past_its_lifetime_is_refused(db: Db) {
    let app = spawn_app_with(db, |c| c.refresh_token_ttl = Duration::from_secs(2)).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let first = s(&login_as(&app, &email, PASSWORD, "Laptop").await.body, "refresh_token");
    // Within its lifetime it works, and its successor gets a lifetime of its own.
    let rotated = refresh_with(&app, &first).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let second = s(&rotated.body, "refresh_token");
    let stored = app.store.refresh_token(&refresh::hash(&second)).await.unwrap().expect("stored");
    let lifetime = stored.expires_at - stored.created_at;
    assert_eq!(lifetime, chrono::TimeDelta::seconds(2));

    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert!(store::now() > stored.expires_at);
    refresh_with(&app, &second).await.assert_error(401, "Refresh token expired. Please sign in again.");
    // Refused, not rotated: nothing was spent.
    let after = app.store.refresh_token(&refresh::hash(&second)).await.unwrap().unwrap();
    assert!(after.spent_at.is_none());
}

async fn a_spent_token_presented_after_the_grace_window_ends_the_session(db: Db) {
    let grace = Duration::from_secs(2);
    let app = spawn_app_with(db, |c| c.refresh_grace = grace).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let login = login_as(&app, &email, PASSWORD, "Laptop").await;
    let first = s(&login.body, "refresh_token");
    let rotated = refresh_with(&app, &first).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let access = s(&rotated.body, "access_token");

    // Within the window, the spent token yields the same successor (a racing twin).
    let twin = refresh_with(&app, &first).await;
    assert_eq!(twin.status, 200, "{}", twin.text);
    assert_eq!(twin.body["refresh_token"], rotated.body["refresh_token"]);
    assert_eq!(app.me(&access).await.status, 200);

    // After it, the spent token is a copy: the session ends for every holder.
    tokio::time::sleep(grace + Duration::from_millis(300)).await;
    let reuse = refresh_with(&app, &first).await;
    assert_eq!(reuse.status, 401, "{}", reuse.text);
    assert!(reuse.detail().contains("already used"), "{}", reuse.detail());
    let session_id = s(&login.body, "session_id").parse().unwrap();
    assert!(app.store.session(session_id).await.unwrap().unwrap().revoked_at.is_some());
    for token in [s(&login.body, "access_token"), access, s(&twin.body, "access_token")] {
        app.me(&token).await.assert_error(401, "Token error: revoked-token");
    }
    refresh_with(&app, &s(&rotated.body, "refresh_token"))
        .await
        .assert_error(401, "This session has been signed out. Please sign in again.");
}

async fn a_sessionless_token_is_refused_after_a_password_change(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let (user_id, token) = app.signed_up(&email).await;
    let sessionless = common::sessionless_token(&user_id.to_string(), chrono::Utc::now().timestamp() - 5);
    assert_eq!(app.me(&sessionless).await.status, 200, "valid before the change");

    let change = app
        .request(
            Method::POST,
            "/api/auth/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "N3w!Password"})),
        )
        .await;
    assert_eq!(change.status, 200, "{}", change.text);
    app.me(&sessionless).await.assert_error(401, "Token error: revoked-token");
    app.list_tasks(&sessionless).await.assert_error(401, "Token error: revoked-token");
    assert_eq!(app.me(&token).await.status, 200, "the session that changed it stays signed in");
}

/// A client whose access token is gone (expired, or unknown after a relaunch) can still end its
/// session with any refresh token of it the server still knows, current or already rotated.
async fn logout_with_a_refresh_token_ends_its_session(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    app.registered(&email, PASSWORD).await;
    let laptop = login_as(&app, &email, PASSWORD, "Laptop").await;
    let phone = login_as(&app, &email, PASSWORD, "Phone").await;
    let spent = s(&laptop.body, "refresh_token");
    let rotated = refresh_with(&app, &spent).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    let access = s(&rotated.body, "access_token");

    // The rotated-away token still names the laptop's session.
    let out = logout_with(&app, &spent).await;
    assert_eq!(out.status, 200, "{}", out.text);
    assert_eq!(out.body["message"], "Signed out");
    app.me(&access).await.assert_error(401, "Token error: revoked-token");
    refresh_with(&app, &s(&rotated.body, "refresh_token"))
        .await
        .assert_error(401, "This session has been signed out. Please sign in again.");
    assert_eq!(app.me(&s(&phone.body, "access_token")).await.status, 200, "other sessions keep working");
    // Signing out an ended session again is not an error: it is ended either way.
    assert_eq!(logout_with(&app, &spent).await.status, 200);

    // The current token does it too.
    assert_eq!(logout_with(&app, &s(&phone.body, "refresh_token")).await.status, 200);
    app.me(&s(&phone.body, "access_token")).await.assert_error(401, "Token error: revoked-token");

    logout_with(&app, "not-a-token").await.assert_error(401, "Invalid refresh token");
    // A bearer header decides as before, whatever the body says; with neither, the original answer.
    let third = login_as(&app, &email, PASSWORD, "Desktop").await;
    let with_both = app
        .http
        .post(app.url("/api/auth/logout"))
        .bearer_auth("not-a-jwt")
        .json(&json!({"refresh_token": s(&third.body, "refresh_token")}));
    Reply::from(with_both.send().await.unwrap()).await.assert_error(401, "Token error: malformed-token");
    assert_eq!(app.me(&s(&third.body, "access_token")).await.status, 200);
    app.request(Method::POST, "/api/auth/logout", None, None).await.assert_error(401, "Authorization header required");
    app.request(Method::POST, "/api/auth/logout", None, Some(json!({})))
        .await
        .assert_error(401, "Authorization header required");
    // A malformed body is refused, not ignored, even beside a good bearer token; nothing is ended.
    let access = s(&third.body, "access_token");
    let malformed =
        app.request(Method::POST, "/api/auth/logout", Some(&access), Some(json!({"refresh_token": 5}))).await;
    assert_eq!(malformed.status, 422, "{}", malformed.text);
    assert_eq!(app.me(&access).await.status, 200);
    let with_empty_body = app.request(Method::POST, "/api/auth/logout", Some(&access), Some(json!({}))).await;
    assert_eq!(with_empty_body.status, 200, "{}", with_empty_body.text);
    app.me(&access).await.assert_error(401, "Token error: revoked-token");
}

async fn revoke_others_ends_every_session_but_the_callers_in_one_step(db: Db) {
    let app = spawn_app(db).await;
    let email = unique_email();
    let user_id = s(&app.register(&email, PASSWORD).await.body, "user_id");
    let here = login_as(&app, &email, PASSWORD, "Here").await;
    let phone = login_as(&app, &email, PASSWORD, "Phone").await;
    let tablet = login_as(&app, &email, PASSWORD, "Tablet").await;
    let legacy = common::sessionless_token(&user_id, chrono::Utc::now().timestamp() - 5);
    let token = s(&here.body, "access_token");

    let out = app.request(Method::POST, "/api/auth/sessions/revoke-others", Some(&token), None).await;
    assert_eq!(out.status, 200, "{}", out.text);
    assert_eq!(out.body, json!({"revoked": 2}));
    assert_eq!(app.me(&token).await.status, 200, "the caller's session lives on");
    for other in [&phone, &tablet] {
        app.me(&s(&other.body, "access_token")).await.assert_refused(
            401,
            "session_revoked",
            "Token error: revoked-token",
        );
        refresh_with(&app, &s(&other.body, "refresh_token")).await.assert_refused(
            401,
            "session_revoked",
            "This session has been signed out. Please sign in again.",
        );
    }
    app.me(&legacy).await.assert_error(401, "Token error: revoked-token");
    let listed = app.request(Method::GET, "/api/auth/sessions", Some(&token), None).await;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1), "{}", listed.text);
    // Nothing left to end: still an answer.
    let again = app.request(Method::POST, "/api/auth/sessions/revoke-others", Some(&token), None).await;
    assert_eq!(again.body, json!({"revoked": 0}));

    let filter = store::AuditFilter { kind: Some("logout_others".into()), limit: 10, ..Default::default() };
    let logged = app.store.audit_events(&filter).await.unwrap();
    assert_eq!(logged.len(), 2, "each call is audited");
    assert!(logged.iter().all(|e| e.user_id.map(|u| u.to_string()) == Some(user_id.clone())));
}
