//! What the sync tests share: a real server on SQLite or on PostgreSQL (a database created for the
//! test and dropped after it), and the network between it and the apps ([`network`]).

#![allow(dead_code)]

pub mod network;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use authdesk_desktop::{Desktop, ServerChoice, SyncOptions};
use authdesk_server::{Config, DatabaseUrl, RunningServer, Secret};
use uuid::Uuid;

pub const PASSWORD: &str = "Str0ng!Pass";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A real server on a loopback port, its database dropped with it.
pub struct Server {
    pub running: RunningServer,
    pg_name: Option<String>,
}

impl Server {
    pub async fn start(db: Db, dir: &Path, configure: impl FnOnce(&mut Config)) -> Self {
        let (url, pg_name) = match db {
            Db::Sqlite => (DatabaseUrl::Sqlite(dir.join("server.db")), None),
            Db::Postgres => {
                let name = format!("authdesk_shell_{}", Uuid::new_v4().simple());
                admin_execute(&format!("CREATE DATABASE {name}")).await;
                (DatabaseUrl::Postgres(postgres_url_for(&name)), Some(name))
            }
        };
        let mut config = Config::new(url, Secret::generate());
        config.login_rate_limit = None;
        config.register_rate_limit = None;
        configure(&mut config);
        let app = authdesk_server::build(&config).await.expect("server builds");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self { running: authdesk_server::serve(app.router, listener, Default::default()).unwrap(), pg_name }
    }

    /// A server as older versions (and the original design) were: no change feed, so
    /// `GET /api/tasks/changes` is a 404 of the router. SQLite.
    pub async fn without_feed(dir: &Path) -> Self {
        let mut config = Config::new(DatabaseUrl::Sqlite(dir.join("older.db")), Secret::generate());
        config.login_rate_limit = None;
        let app = authdesk_server::build(&config).await.expect("server builds");
        let router = app.router.layer(axum::middleware::from_fn(
            |request: axum::extract::Request, next: axum::middleware::Next| async move {
                if request.uri().path() == "/api/tasks/changes" {
                    let body = axum::Json(serde_json::json!({"detail": "Not Found"}));
                    return axum::response::IntoResponse::into_response((axum::http::StatusCode::NOT_FOUND, body));
                }
                next.run(request).await
            },
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self { running: authdesk_server::serve(router, listener, Default::default()).unwrap(), pg_name: None }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.running.addr())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Drop runs inside the test's runtime, which cannot block on itself. Never a panic
            // here: one while a failed test unwinds would abort the whole test binary.
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(admin_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")));
            })
            .join();
            if dropped.is_err() {
                eprintln!("warning: the test database was not dropped");
            }
        }
    }
}

fn admin_postgres_url() -> String {
    std::env::var("AUTHDESK_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_url_for(dbname: &str) -> String {
    let admin = admin_postgres_url();
    let (base, query) = admin.split_once('?').map_or((admin.as_str(), None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = base[scheme_end..].find('/').map_or(base, |i| &base[..scheme_end + i]);
    match query {
        Some(q) => format!("{root}/{dbname}?{q}"),
        None => format!("{root}/{dbname}"),
    }
}

async fn admin_execute(sql: &str) {
    let admin = admin_postgres_url();
    let connect = tokio_postgres::connect(&admin, tokio_postgres::NoTls);
    let (client, connection) = tokio::time::timeout(Duration::from_secs(10), connect)
        .await
        .unwrap_or_else(|_| panic!("PostgreSQL at {admin} did not answer within 10 s"))
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required for these tests and did not answer at {admin} ({e}). \
                 Run the README's test command (it starts a throwaway cluster), or set AUTHDESK_TEST_POSTGRES."
            )
        });
    let conn = tokio::spawn(connection);
    tokio::time::timeout(Duration::from_secs(30), client.batch_execute(sql))
        .await
        .unwrap_or_else(|_| panic!("{sql}: no answer within 30 s"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    drop(client);
    let _ = conn.await;
}

/// Sync pacing for tests: quick retries, and no timer pass in the middle of a story.
pub fn quick_sync() -> SyncOptions {
    SyncOptions {
        poll: Duration::from_secs(600),
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(300),
        live: false,
    }
}

/// Sync pacing for stories that decide who reaches the server when: the app's own loop runs
/// after each change (offline, in these stories) and otherwise waits an hour.
pub fn manual_sync() -> SyncOptions {
    let hour = Duration::from_secs(3600);
    SyncOptions { poll: hour, min_backoff: hour, max_backoff: hour, live: false }
}

/// An app on `data`, pointed at `base`.
pub async fn app_on(data: &Path, base: &str) -> Arc<Desktop> {
    app_on_with(data, base, quick_sync()).await
}

pub async fn app_on_with(data: &Path, base: &str, sync: SyncOptions) -> Arc<Desktop> {
    let app = Desktop::open_with_files_and(data.to_path_buf(), sync).await.unwrap();
    app.set_settings(ServerChoice::Remote { url: base.into() }).await.unwrap();
    app
}

/// A client with a deadline, for looking at the server from outside the apps.
pub fn outside_http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

/// Signs `email` in over plain HTTP, as another device would; answers its access token.
pub async fn sign_in_outside(http: &reqwest::Client, base: &str, email: &str) -> String {
    let login: serde_json::Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().expect("signed in").to_owned()
}

/// The tasks of `email` as the server has them, seen from a sign-in of its own (ended after).
pub async fn server_tasks(base: &str, email: &str) -> Vec<authdesk_contract::Task> {
    let http = outside_http();
    let token = sign_in_outside(&http, base, email).await;
    let tasks = http.get(format!("{base}/api/tasks")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    http.post(format!("{base}/api/auth/logout")).bearer_auth(&token).send().await.unwrap();
    tasks
}
