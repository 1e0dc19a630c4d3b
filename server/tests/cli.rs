//! The `authdesk-server` binary as an operator runs it: configuration errors, `.env`, `migrate`,
//! logs without secrets, graceful shutdown on SIGTERM.
//!
//! Every process started here has a deadline and is killed if the test ends first (`ChildGuard`).

use crate::common;

use std::process::{Command, Output};
use std::time::Duration;

use common::served::{server_command, Served, DEADLINE};
use common::{ChildGuard, Db, TestDb, PASSWORD};

/// Runs `cmd` to completion within [`DEADLINE`].
fn run(cmd: &mut Command) -> Output {
    common::output_within(cmd, DEADLINE)
}

/// The guard these tests rely on: a process past its deadline fails the test and is killed, and a
/// dropped guard leaves no process behind.
#[cfg(unix)] // `sleep`, `kill`, SIGTERM
#[test]
fn spawned_processes_have_a_deadline_and_die_with_their_guard() {
    let started = std::time::Instant::now();
    let late = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        common::output_within(Command::new("sleep").arg("30"), Duration::from_millis(300))
    }));
    assert!(late.is_err(), "a process past its deadline fails the test");
    assert!(started.elapsed() < Duration::from_secs(10), "and does not wait for it");

    let pid = ChildGuard::spawn(Command::new("sleep").arg("30")).id().to_string();
    let probe = run(Command::new("kill").args(["-0", &pid]));
    assert!(!probe.status.success(), "process {pid} outlived its guard");
}

#[test]
fn refuses_to_start_without_a_strong_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("a.db").display());
    let out = run(server_command(dir.path()).args(["serve", "--database-url", &db]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BETTER_AUTH_SECRET is not set"), "{err}");

    let out =
        run(server_command(dir.path()).env("BETTER_AUTH_SECRET", "too-short").args(["serve", "--database-url", &db]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is 9 bytes long; it must be at least 32 bytes"), "{err}");
    assert!(!err.contains("too-short"), "the secret itself is never printed: {err}");
}

#[test]
fn refuses_unknown_database_schemes_without_printing_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(server_command(dir.path())
        .env("BETTER_AUTH_SECRET", common::SECRET)
        .env("DATABASE_URL", "mysql://root:hunter2@localhost/app")
        .arg("serve"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_applies_once_on_both_databases() {
    for kind in [Db::Sqlite, Db::Postgres] {
        let db = TestDb::new(kind).await;
        let dir = tempfile::tempdir().unwrap();
        let migrate = || run(server_command(dir.path()).args(["migrate", "--database-url", &db.url_string()]));
        let expected = common::all_migrations();
        let first = migrate();
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        assert!(String::from_utf8_lossy(&first.stdout).contains("applied 0001_init"));
        assert!(String::from_utf8_lossy(&first.stdout).contains("applied 0004_password_reset"));
        assert_eq!(common::applied_migrations(&db).await, expected, "{kind:?}");
        let second = migrate();
        assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
        assert!(String::from_utf8_lossy(&second.stdout).contains("schema is up to date"), "{kind:?}");
        assert_eq!(common::applied_migrations(&db).await, expected, "{kind:?}: nothing applied twice");
    }
}

#[cfg(unix)] // `sleep`, `kill`, SIGTERM
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_dotenv_keeps_secrets_out_of_logs_and_stops_on_sigterm() {
    let db = TestDb::new(Db::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    // The original design's driver-qualified URL, with a password (trust auth ignores it).
    let host_and_db = db.url_string().split_once('@').expect("user@host in the test URL").1.to_owned();
    let url = format!("postgresql+asyncpg://postgres:hunter2-db-pass@{host_and_db}");
    assert!(url.contains("hunter2-db-pass"), "{url}");
    std::fs::write(
        dir.path().join(".env"),
        format!("BETTER_AUTH_SECRET={}\nDATABASE_URL={url}\nAUTHDESK_LOGIN_RATE_LIMIT=off\n", common::SECRET),
    )
    .unwrap();
    let served = Served::start(server_command(dir.path()));

    let http = reqwest::Client::builder().timeout(DEADLINE).build().unwrap();
    let health: serde_json::Value = http.get(served.url("/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["database"], "postgres");
    let reg = http
        .post(served.url("/api/auth/register"))
        .json(&serde_json::json!({"email": "ops@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(reg.status(), 201);
    let login: serde_json::Value = http
        .post(served.url("/api/auth/login"))
        .json(&serde_json::json!({"email": "ops@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let me = http.get(served.url("/api/auth/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), 200);

    let (status, log) = served.terminate();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}\n{log}");
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("postgresql://postgres:***@"), "the database is named, redacted: {log}");
    for secret in [common::SECRET, "hunter2-db-pass", &token, PASSWORD] {
        assert!(!log.contains(secret), "log leaks {secret:?}:\n{log}");
    }
}

#[cfg(unix)] // `sleep`, `kill`, SIGTERM
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_a_line_and_name_the_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = server_command(dir.path());
    cmd.env("BETTER_AUTH_SECRET", common::SECRET)
        .env("DATABASE_URL", format!("sqlite:{}", dir.path().join("logs.db").display()))
        .env("AUTHDESK_LOG_FORMAT", "json");
    let served = Served::start(cmd);
    let http = reqwest::Client::builder().timeout(DEADLINE).build().unwrap();
    let body = serde_json::json!({"email": "logs@example.com", "password": PASSWORD});
    let reg = http
        .post(served.url("/api/auth/register"))
        .header("x-request-id", "req-json-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(reg.status(), 201);
    // The client's id is kept beside the server's own, never in its place.
    assert_eq!(reg.headers()["x-client-request-id"], "req-json-1");
    let id = reg.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id, "req-json-1");

    let (status, log) = served.terminate();
    assert!(status.success(), "{log}");
    let lines: Vec<serde_json::Value> =
        log.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let registered = lines
        .iter()
        .find(|l| l["fields"]["message"] == "user registered")
        .unwrap_or_else(|| panic!("no registration line in {log}"));
    assert_eq!(registered["span"]["request_id"], id.as_str(), "{registered}");
    assert_eq!(registered["span"]["client_request_id"], "req-json-1", "{registered}");
    assert!(!log.contains(PASSWORD), "{log}");
}

#[cfg(unix)] // `sleep`, `kill`, SIGTERM
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_on_their_own_listener_without_user_labels() {
    for kind in [Db::Sqlite, Db::Postgres] {
        let db = TestDb::new(kind).await;
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = server_command(dir.path());
        cmd.env("BETTER_AUTH_SECRET", common::SECRET)
            .env("DATABASE_URL", db.url_string())
            .env("AUTHDESK_METRICS_BIND", "127.0.0.1:0");
        let served = Served::start(cmd);
        // Logged before "listening", so already read.
        let line = served
            .log
            .iter()
            .find(|l| l.contains("serving metrics"))
            .unwrap_or_else(|| panic!("{}", served.log.join("\n")));
        let metrics_addr = line.split("addr=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();

        let http = reqwest::Client::builder().timeout(DEADLINE).build().unwrap();
        let email = "metrics-user@example.com";
        let creds = |password: &str| serde_json::json!({"email": email, "password": password});
        assert_eq!(
            http.post(served.url("/api/auth/register")).json(&creds(PASSWORD)).send().await.unwrap().status(),
            201
        );
        assert_eq!(
            http.post(served.url("/api/auth/login")).json(&creds("Wr0ng!Password")).send().await.unwrap().status(),
            401
        );
        assert_eq!(http.post(served.url("/api/auth/login")).json(&creds(PASSWORD)).send().await.unwrap().status(), 200);
        // Not on the API's listener.
        assert_eq!(http.get(served.url("/metrics")).send().await.unwrap().status(), 404);

        let scrape = http.get(format!("http://{metrics_addr}/metrics")).send().await.unwrap();
        assert_eq!(scrape.status(), 200);
        assert!(scrape.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
        let text = scrape.text().await.unwrap();
        for expected in [
            r#"authdesk_http_requests_total{method="POST",route="/api/auth/login",status="401"} 1"#,
            r#"authdesk_http_requests_total{method="POST",route="/api/auth/login",status="200"} 1"#,
            r#"authdesk_http_requests_total{method="POST",route="/api/auth/register",status="201"} 1"#,
            r#"authdesk_auth_events_total{type="login_failed",outcome="failure"} 1"#,
            r#"authdesk_auth_events_total{type="login_succeeded",outcome="success"} 1"#,
            r#"authdesk_http_request_duration_seconds_count{method="POST",route="/api/auth/login"} 2"#,
            "authdesk_http_requests_in_flight 0",
            "authdesk_hash_wait_seconds_count",
            "authdesk_hash_slots_in_use 0",
            "authdesk_hash_queue_waiting 0",
            "authdesk_db_pool_size ",
            "authdesk_db_pool_waiting 0",
        ] {
            assert!(text.contains(expected), "{kind:?}: no {expected:?} in\n{text}");
        }
        assert!(!text.contains("metrics-user"), "no email in a label:\n{text}");
        let (status, log) = served.terminate();
        assert!(status.success(), "{log}");
    }
}
