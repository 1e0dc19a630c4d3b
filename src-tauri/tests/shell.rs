//! The shell's logic without a window: the same user story against the embedded server and a
//! remote one (the real server on 127.0.0.1:0), session persistence, and 401 handling.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use authdesk_contract::desktop::SignInStep;
use authdesk_contract::UpdateTaskRequest;
use authdesk_desktop::{Desktop, ErrorKind, ServerChoice, REFRESH_TOKEN_FILE, SESSION_EXPIRED, SESSION_FILE};
use authdesk_server::{Config, DatabaseUrl, RunningServer, Secret};
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use tempfile::TempDir;

use crate::support;

use support::{outside_http, sign_in_outside, PASSWORD};

/// A real server on a loopback port, SQLite in a temp file.
async fn remote_server(dir: &Path) -> RunningServer {
    remote_server_with(dir, |_| {}).await
}

async fn remote_server_with(dir: &Path, configure: impl FnOnce(&mut Config)) -> RunningServer {
    let mut config = Config::new(DatabaseUrl::Sqlite(dir.join("remote.db")), Secret::generate());
    configure(&mut config);
    let app = authdesk_server::build(&config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    authdesk_server::serve(app.router, listener, Default::default()).unwrap()
}

/// One story, written down as lines; both backends must write the same lines.
async fn story(app: &Desktop) -> Vec<String> {
    let mut log = Vec::new();
    let mut note = |line: String| log.push(line);

    let health = app.test_connection(None).await.unwrap();
    note(format!("health {} {}", health.status, health.database));

    let weak = app.register("ann@example.com".into(), "weakpass".into(), None).await.unwrap_err();
    note(format!("weak: {:?} {}", weak.kind, weak.message));

    let SignInStep::SignedIn { user } = app.register(" Ann@Example.com ".into(), PASSWORD.into(), None).await.unwrap()
    else {
        panic!("the embedded server signs a new account in")
    };
    note(format!("registered and signed in as {}", user.email));

    let dup = app.register("ann@example.com".into(), PASSWORD.into(), None).await.unwrap_err();
    note(format!("duplicate: {:?} {} {:?}", dup.kind, dup.message, dup.status));

    app.logout(false).await.unwrap();
    let out = app.list_tasks().await.unwrap_err();
    note(format!("signed out: {:?}", out.kind));
    note(format!("restore after sign out: {:?}", app.restore_session().await.unwrap().map(|m| m.email)));

    let wrong = app.login("ann@example.com".into(), "Wr0ng!Pass".into()).await.unwrap_err();
    note(format!("wrong password: {:?} {}", wrong.kind, wrong.message));

    app.login("ann@example.com".into(), PASSWORD.into()).await.unwrap();
    let me = app.me().await.unwrap();
    note(format!("me: {} last login set: {}", me.email, me.last_login_at.is_some()));

    let first = app.create_task("buy milk".into()).await.unwrap();
    let second = app.create_task("  write report  ".into()).await.unwrap();
    let empty = app.create_task("   ".into()).await.unwrap_err();
    note(format!("empty title: {:?} {}", empty.kind, empty.message));
    let titles = |tasks: Vec<authdesk_contract::Task>| {
        tasks
            .into_iter()
            .map(|t| format!("{}{}", if t.completed { "[x] " } else { "[ ] " }, t.title))
            .collect::<Vec<_>>()
    };
    note(format!("list: {:?}", titles(app.list_tasks().await.unwrap())));

    app.update_task(first.id, UpdateTaskRequest { completed: Some(true), title: None }).await.unwrap();
    app.update_task(second.id, UpdateTaskRequest { title: Some("write the report".into()), completed: None })
        .await
        .unwrap();
    note(format!("after toggle and rename: {:?}", titles(app.list_tasks().await.unwrap())));

    app.delete_task(first.id).await.unwrap();
    let gone = app.delete_task(first.id).await.unwrap_err();
    note(format!("delete twice: {:?} {}", gone.kind, gone.message));
    note(format!("after delete: {:?}", titles(app.list_tasks().await.unwrap())));
    log
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_and_remote_backends_tell_the_same_story() {
    let dir = TempDir::new().unwrap();
    let embedded = Desktop::open_with_files(dir.path().join("embedded")).await.unwrap();
    assert_eq!(embedded.settings().await, ServerChoice::Embedded);
    let embedded_log = story(&embedded).await;

    let server = remote_server(dir.path()).await;
    let remote = Desktop::open_with_files(dir.path().join("remote")).await.unwrap();
    let url = format!("http://{}/", server.addr());
    let chosen = remote.set_settings(ServerChoice::Remote { url }).await.unwrap();
    assert_eq!(chosen.server, ServerChoice::Remote { url: format!("http://{}", server.addr()) });
    assert_eq!(chosen.signed_out, None, "nobody was signed in");
    let remote_log = story(&remote).await;

    assert_eq!(embedded_log, remote_log);
    // Spot-check that the story says what we think it says.
    assert!(embedded_log.contains(&"weak: Rejected Password must contain at least one uppercase letter".to_string()));
    assert!(embedded_log.contains(&"wrong password: Unauthorized Invalid email or password".to_string()));
    assert!(embedded_log.contains(&r#"after toggle and rename: ["[ ] write the report", "[x] buy milk"]"#.to_string()));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_survives_a_restart_and_stays_private() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    {
        let app = Desktop::open_with_files(data.clone()).await.unwrap();
        app.register("bo@example.com".into(), PASSWORD.into(), None).await.unwrap();
        app.create_task("persist me".into()).await.unwrap();
    }
    let app = Desktop::open_with_files(data.clone()).await.unwrap();
    let me = app.restore_session().await.unwrap().expect("still signed in");
    assert_eq!(me.email, "bo@example.com");
    assert_eq!(app.list_tasks().await.unwrap()[0].title, "persist me");
    #[cfg(unix)]
    for file in [SESSION_FILE, "server-secret"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file} must be private");
    }
    app.logout(false).await.unwrap();
    let app = Desktop::open_with_files(data).await.unwrap();
    assert!(app.restore_session().await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_clears_the_session() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let first = Desktop::open_with_files(a.clone()).await.unwrap();
    first.register("cy@example.com".into(), PASSWORD.into(), None).await.unwrap();
    // The same session presented to another embedded server (another secret): refused.
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(a.join(SESSION_FILE), b.join(SESSION_FILE)).unwrap();
    let second = Desktop::open_with_files(b.clone()).await.unwrap();
    let err = second.list_tasks().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unauthorized);
    assert_eq!(err.message, SESSION_EXPIRED);
    // Cleared: the next call has no session at all, and so does the next launch.
    assert_eq!(second.me().await.unwrap_err().kind, ErrorKind::Unauthorized);
    assert!(Desktop::open_with_files(b).await.unwrap().restore_session().await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_backend_signs_out_and_bad_urls_are_refused() {
    let dir = TempDir::new().unwrap();
    let app = Desktop::open_with_files(dir.path().to_path_buf()).await.unwrap();
    app.register("di@example.com".into(), PASSWORD.into(), None).await.unwrap();
    let refused = app.set_settings(ServerChoice::Remote { url: "http://auth.example.com".into() }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Local);
    assert!(app.me().await.is_ok(), "a refused setting changes nothing");

    // Nothing listens on port 9 of loopback (discard): unreachable, with the URL in the message.
    let url = "http://127.0.0.1:9".to_string();
    let health = app.test_connection(Some(ServerChoice::Remote { url: url.clone() })).await.unwrap_err();
    assert_eq!(health.kind, ErrorKind::Unreachable);
    assert_eq!(health.message, format!("Cannot reach {url}"));

    app.set_settings(ServerChoice::Remote { url: url.clone() }).await.unwrap();
    assert!(app.restore_session().await.unwrap().is_none(), "switching signs out");
    let offline = app.login("di@example.com".into(), PASSWORD.into()).await.unwrap_err();
    assert_eq!(offline.message, format!("Cannot reach {url}"));

    // Back to embedded: the account is still there.
    app.set_settings(ServerChoice::Embedded).await.unwrap();
    app.login("di@example.com".into(), PASSWORD.into()).await.unwrap();
    let reopened = Desktop::open_with_files(dir.path().to_path_buf()).await.unwrap();
    assert_eq!(reopened.settings().await, ServerChoice::Embedded);
}

/// An app with its own data folder in `data`, switched to the server at `base`.
async fn app_on(data: &Path, base: &str) -> Arc<Desktop> {
    let app = Desktop::open_with_files(data.to_path_buf()).await.unwrap();
    app.set_settings(ServerChoice::Remote { url: base.into() }).await.unwrap();
    app
}

fn stored_session(dir: &Path) -> serde_json::Value {
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(SESSION_FILE)).unwrap()).unwrap();
    file["session"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_refreshed_without_signing_out() {
    let dir = TempDir::new().unwrap();
    // Access tokens that live one second.
    let server = remote_server_with(dir.path(), |c| c.access_token_ttl = std::time::Duration::from_secs(1)).await;
    let data = dir.path().join("data");
    let app = app_on(&data, &format!("http://{}", server.addr())).await;
    app.register("ed@example.com".into(), PASSWORD.into(), None).await.unwrap();
    app.create_task("outlive my token".into()).await.unwrap();
    let stored_refresh_token = || std::fs::read_to_string(data.join(REFRESH_TOKEN_FILE)).unwrap();
    let before = stored_refresh_token();
    assert!(before.len() >= 43, "the refresh token is kept");
    let session = stored_session(&data);
    assert!(session.get("token").is_none(), "the access token never reaches the disk: {session}");

    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    // The access token has expired; the shell trades the refresh token and carries on.
    assert_eq!(app.me().await.unwrap().email, "ed@example.com");
    assert_ne!(stored_refresh_token(), before, "rotated");
    assert_eq!(app.list_tasks().await.unwrap()[0].title, "outlive my token");
    // A relaunch after the access token expired is still signed in.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let relaunched = Desktop::open_with_files(data).await.unwrap();
    assert_eq!(relaunched.restore_session().await.unwrap().expect("signed in").email, "ed@example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_revokes_on_the_server_and_still_works_offline() {
    let dir = TempDir::new().unwrap();
    let server = remote_server(dir.path()).await;
    let base = format!("http://{}", server.addr());
    let app = app_on(&dir.path().join("data"), &base).await;
    app.register("fa@example.com".into(), PASSWORD.into(), None).await.unwrap();
    // A second device, to look at the account's sessions from outside the app.
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let other: serde_json::Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"email": "fa@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let other_token = other["access_token"].as_str().unwrap().to_owned();
    let live = || async {
        let list: serde_json::Value = http
            .get(format!("{base}/api/auth/sessions"))
            .bearer_auth(&other_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list.as_array().unwrap().len()
    };
    assert_eq!(live().await, 2);
    assert!(app.logout(false).await.unwrap().ended_on_server, "the server confirmed");
    // The app's session is ended on the server, not merely forgotten here.
    assert_eq!(live().await, 1);

    // Offline: the session is forgotten locally and the answer says the server was not told.
    app.login("fa@example.com".into(), PASSWORD.into()).await.unwrap();
    server.shutdown().await.unwrap();
    let out = app.logout(false).await.unwrap();
    assert!(!out.ended_on_server);
    assert!(out.warning().unwrap().starts_with("Signed out on this computer, but the server could not"));
    assert!(app.restore_session().await.unwrap().is_none());
}

/// Signs in as `email` from a second app (its own data directory) against `base`.
async fn second_device(dir: &Path, base: &str, email: &str, password: &str) -> Arc<Desktop> {
    let other = app_on(&dir.join("second"), base).await;
    other.login(email.into(), password.into()).await.unwrap();
    other
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_password_ends_the_other_sessions_and_keeps_this_one() {
    let dir = TempDir::new().unwrap();
    let server = remote_server(dir.path()).await;
    let base = format!("http://{}", server.addr());
    let app = app_on(&dir.path().join("data"), &base).await;
    app.register("gu@example.com".into(), PASSWORD.into(), None).await.unwrap();
    let other = second_device(dir.path(), &base, "gu@example.com", PASSWORD).await;

    let sessions = app.list_sessions().await.unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
    assert!(sessions.iter().all(|s| s.label.starts_with("authdesk desktop (")), "{sessions:?}");

    // A wrong current password is the user's mistake: refused, and still signed in.
    let wrong = app.change_password("Wr0ng!Pass".into(), "N3w!Password".into()).await.unwrap_err();
    assert_eq!((wrong.kind, wrong.message.as_str()), (ErrorKind::Rejected, "Current password is incorrect"));
    let weak = app.change_password(PASSWORD.into(), "weak".into()).await.unwrap_err();
    assert_eq!(weak.kind, ErrorKind::Rejected);
    assert!(app.me().await.is_ok());

    let message = app.change_password(PASSWORD.into(), "N3w!Password".into()).await.unwrap();
    assert!(message.contains("Password changed"), "{message}");
    assert_eq!(app.me().await.unwrap().email, "gu@example.com");
    assert_eq!(app.list_sessions().await.unwrap().len(), 1);
    // A session ended elsewhere is not a wrong password, even on a request that re-checks one.
    let refused = other.change_password("N3w!Password".into(), "An0ther!Pass".into()).await.unwrap_err();
    assert_eq!((refused.kind, refused.message.as_str()), (ErrorKind::Unauthorized, SESSION_EXPIRED));
    assert!(other.restore_session().await.unwrap().is_none(), "the ended session is forgotten");
    assert!(other.login("gu@example.com".into(), PASSWORD.into()).await.is_err());
    other.login("gu@example.com".into(), "N3w!Password".into()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_others_ends_every_other_session() {
    let dir = TempDir::new().unwrap();
    let server = remote_server(dir.path()).await;
    let base = format!("http://{}", server.addr());
    let app = app_on(&dir.path().join("data"), &base).await;
    app.register("ha@example.com".into(), PASSWORD.into(), None).await.unwrap();
    let other = second_device(dir.path(), &base, "ha@example.com", PASSWORD).await;
    assert_eq!(app.list_sessions().await.unwrap().len(), 2);

    assert_eq!(app.sign_out_others().await.unwrap(), 1);
    let left = app.list_sessions().await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].current);
    assert_eq!(other.me().await.unwrap_err().message, SESSION_EXPIRED);
    assert_eq!(app.sign_out_others().await.unwrap(), 0);
    // Revoking an unknown session is a 404, not a sign-out.
    let missing = app.revoke_session(uuid::Uuid::new_v4()).await.unwrap_err();
    assert_eq!(missing.status, Some(404));
    assert!(app.me().await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_account_signs_out_and_the_account_is_gone() {
    let dir = TempDir::new().unwrap();
    let app = Desktop::open_with_files(dir.path().join("data")).await.unwrap();
    app.register("ix@example.com".into(), PASSWORD.into(), None).await.unwrap();
    app.create_task("doomed".into()).await.unwrap();

    let wrong = app.delete_account("Wr0ng!Pass".into()).await.unwrap_err();
    assert_eq!((wrong.kind, wrong.message.as_str()), (ErrorKind::Rejected, "Password is incorrect"));
    assert!(app.me().await.is_ok(), "a wrong password does not sign out");

    app.delete_account(PASSWORD.into()).await.unwrap();
    assert!(app.restore_session().await.unwrap().is_none());
    assert_eq!(app.list_tasks().await.unwrap_err().kind, ErrorKind::Unauthorized);
    let gone = app.login("ix@example.com".into(), PASSWORD.into()).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::Unauthorized);
    // The address is free again.
    app.register("ix@example.com".into(), PASSWORD.into(), None).await.unwrap();
    assert!(app.list_tasks().await.unwrap().is_empty());
}

/// How many sessions of `email` the server at `base` still has live, seen from a fresh login
/// (itself ended afterwards and not counted).
async fn live_sessions(base: &str, email: &str) -> usize {
    let http = outside_http();
    let token = sign_in_outside(&http, base, email).await;
    let list: serde_json::Value =
        http.get(format!("{base}/api/auth/sessions")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let out = http.post(format!("{base}/api/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert!(out.status().is_success());
    list.as_array().unwrap().len() - 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_ends_the_session_without_a_live_access_token() {
    let dir = TempDir::new().unwrap();
    let server = remote_server_with(dir.path(), |c| {
        c.access_token_ttl = Duration::from_secs(1);
        // More sign-ins than the default 5 a minute from one address.
        c.login_rate_limit = None;
    })
    .await;
    let base = format!("http://{}", server.addr());
    let data = dir.path().join("data");
    let app = app_on(&data, &base).await;
    app.register("jo@example.com".into(), PASSWORD.into(), None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // The access token has expired: the refresh token ends the session.
    assert!(app.logout(false).await.unwrap().ended_on_server);
    assert_eq!(live_sessions(&base, "jo@example.com").await, 0);

    // After a relaunch no access token is known at all.
    app.login("jo@example.com".into(), PASSWORD.into()).await.unwrap();
    let relaunched = Desktop::open_with_files(data.clone()).await.unwrap();
    assert!(relaunched.logout(false).await.unwrap().ended_on_server);
    assert_eq!(live_sessions(&base, "jo@example.com").await, 0);

    // A session the server no longer knows at all (the account was deleted elsewhere) is over.
    relaunched.login("jo@example.com".into(), PASSWORD.into()).await.unwrap();
    let http = outside_http();
    let token = sign_in_outside(&http, &base, "jo@example.com").await;
    let deleted = http
        .delete(format!("{base}/api/auth/me"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let again = Desktop::open_with_files(data).await.unwrap();
    assert!(again.logout(false).await.unwrap().ended_on_server, "nothing is left to end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_server_ends_the_session_on_the_old_one() {
    let dir = TempDir::new().unwrap();
    let server = remote_server(dir.path()).await;
    let base = format!("http://{}", server.addr());
    let app = app_on(&dir.path().join("data"), &base).await;
    app.register("ka@example.com".into(), PASSWORD.into(), None).await.unwrap();
    let saved = app.set_settings(ServerChoice::Embedded).await.unwrap();
    assert_eq!(saved.signed_out.map(|out| out.ended_on_server), Some(true));
    assert_eq!(live_sessions(&base, "ka@example.com").await, 0);

    // The old server is gone: the switch still happens, and the answer says the session lives on.
    app.set_settings(ServerChoice::Remote { url: base.clone() }).await.unwrap();
    app.login("ka@example.com".into(), PASSWORD.into()).await.unwrap();
    server.shutdown().await.unwrap();
    let saved = app.set_settings(ServerChoice::Embedded).await.unwrap();
    assert_eq!(saved.server, ServerChoice::Embedded);
    assert_eq!(saved.signed_out.map(|out| out.ended_on_server), Some(false));
    assert!(app.restore_session().await.unwrap().is_none(), "signed out here all the same");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_refused_and_the_body_is_not_sent_on() {
    // Where the redirect points: it records every body that reaches it.
    let received = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = received.clone();
    let target = axum::Router::new().fallback(move |body: String| {
        seen.lock().unwrap().push(body);
        async { (StatusCode::OK, "{}") }
    });
    let target_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let location = format!("http://{}/api/auth/login", target_listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(target_listener, target).await });
    // A server that sends every request on with a 307 (which re-posts the body).
    let to = location.clone();
    let redirecting = axum::Router::new()
        .fallback(move || std::future::ready((StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to.clone())])));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, redirecting).await });

    let dir = TempDir::new().unwrap();
    let app = app_on(dir.path(), &base).await;
    let refused = app.login("la@example.com".into(), PASSWORD.into()).await.unwrap_err();
    assert_eq!(
        refused.message,
        format!(
            "The server answered with a redirect to {location}; authdesk does not follow redirects. \
             Use the final address in Settings."
        )
    );
    assert_eq!(refused.status, Some(307));
    assert!(received.lock().unwrap().is_empty(), "the login went on to {location}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_folder_the_database_and_the_refresh_token_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    // A folder left by an earlier version, readable by everyone.
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let app = Desktop::open_with_files(data.clone()).await.unwrap();
    app.register("mo@example.com".into(), PASSWORD.into(), None).await.unwrap();
    app.create_task("written".into()).await.unwrap();

    assert_eq!(mode(&data), 0o700, "the data folder");
    for file in ["authdesk.db", "authdesk.db-wal", "authdesk.db-shm", SESSION_FILE, REFRESH_TOKEN_FILE] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file} must be private");
    }
    // The session file (the store plugin's, in the app) never holds the refresh token.
    let refresh = std::fs::read_to_string(data.join(REFRESH_TOKEN_FILE)).unwrap();
    assert!(refresh.trim().len() >= 43, "the refresh token is kept apart");
    let session = std::fs::read_to_string(data.join(SESSION_FILE)).unwrap();
    assert!(!session.contains(refresh.trim()) && !session.contains("refresh_token"), "{session}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_token_left_in_the_session_file_moves_to_its_own_file() {
    let dir = TempDir::new().unwrap();
    let server = remote_server(dir.path()).await;
    let base = format!("http://{}", server.addr());
    let http = outside_http();
    let credentials = serde_json::json!({"email": "no@example.com", "password": PASSWORD});
    http.post(format!("{base}/api/auth/register")).json(&credentials).send().await.unwrap();
    let login: serde_json::Value =
        http.post(format!("{base}/api/auth/login")).json(&credentials).send().await.unwrap().json().await.unwrap();
    // A session file as earlier versions wrote it without a keychain.
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let earlier = serde_json::json!({
        "backend": {"kind": "remote", "url": base},
    });
    std::fs::write(data.join("settings.json"), earlier.to_string()).unwrap();
    let session = serde_json::json!({"session": {
        "user_id": login["user_id"],
        "email": "no@example.com",
        "backend": {"kind": "remote", "url": base},
        "refresh_token": login["refresh_token"],
    }});
    std::fs::write(data.join(SESSION_FILE), session.to_string()).unwrap();

    let app = Desktop::open_with_files(data.clone()).await.unwrap();
    assert_eq!(app.restore_session().await.unwrap().expect("still signed in").email, "no@example.com");
    assert!(stored_session(&data).get("refresh_token").is_none(), "moved out: {}", stored_session(&data));
    let relaunched = Desktop::open_with_files(data).await.unwrap();
    assert!(relaunched.restore_session().await.unwrap().is_some(), "and still found after a relaunch");
}

/// A real server (1-second access tokens) that counts the refresh requests it answers and, when
/// `lose_first` is set, holds back the answer to the first one that long (after rotating).
async fn counting_server(dir: &Path, lose_first: Option<Duration>) -> (RunningServer, Arc<AtomicUsize>) {
    let mut config = Config::new(DatabaseUrl::Sqlite(dir.join("remote.db")), Secret::generate());
    config.access_token_ttl = Duration::from_secs(1);
    let app = authdesk_server::build(&config).await.expect("server builds");
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = refreshes.clone();
    let router = app.router.layer(axum::middleware::from_fn(move |request: Request, next: Next| {
        let counter = counter.clone();
        async move {
            let nth = (request.uri().path() == "/api/auth/refresh").then(|| counter.fetch_add(1, Ordering::SeqCst) + 1);
            let response = next.run(request).await;
            if let (Some(1), Some(delay)) = (nth, lose_first) {
                tokio::time::sleep(delay).await;
            }
            response
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    (authdesk_server::serve(router, listener, Default::default()).unwrap(), refreshes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_commands_share_one_refresh() {
    let dir = TempDir::new().unwrap();
    let (server, refreshes) = counting_server(dir.path(), None).await;
    // The quiet app (no listener, no poll): its only refreshes are its commands'; a listener's
    // stream ends with each 1-second token and its reconnect would refresh at a moment of its own.
    let app = support::app_on(&dir.path().join("data"), &format!("http://{}", server.addr())).await;
    app.register("pa@example.com".into(), PASSWORD.into(), None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let app = app.clone();
        calls.spawn(async move { app.me().await });
    }
    let answers = tokio::time::timeout(Duration::from_secs(30), calls.join_all()).await.expect("within the deadline");
    for answer in answers {
        answer.expect("no command is signed out");
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one refresh for all of them");
    assert!(app.me().await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_whose_answer_is_lost_is_retried_within_the_grace_window() {
    let dir = TempDir::new().unwrap();
    // The server rotates the token, but its answer comes too late for the client.
    let (server, refreshes) = counting_server(dir.path(), Some(Duration::from_secs(40))).await;
    let app = support::app_on(&dir.path().join("data"), &format!("http://{}", server.addr())).await;
    app.register("qu@example.com".into(), PASSWORD.into(), None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let me = tokio::time::timeout(Duration::from_secs(30), app.me()).await.expect("within the deadline");
    // Still signed in: the retry came within the server's grace window (after it, the spent token
    // would have been taken for a stolen copy and the session ended).
    assert_eq!(me.expect("still signed in").email, "qu@example.com");
    assert_eq!(refreshes.load(Ordering::SeqCst), 2, "the lost answer was asked for once more");
    assert!(app.me().await.is_ok(), "the session lives on");
}
