//! Test harness: a real server on 127.0.0.1:0 over a real database, and one helper per endpoint so
//! each test reads like the user's story.
//!
//! PostgreSQL tests use a fresh database named `authdesk_test_<uuid>` on the server at
//! `AUTHDESK_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the
//! test ends. If no PostgreSQL answers there, the test fails: it never silently skips.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use authdesk_contract::ErrorCode;
use authdesk_server::auth::PasswordHasher;
use authdesk_server::store::Store;
use authdesk_server::{Config, DatabaseUrl, RunningServer, Secret};
use chrono::{DateTime, Utc};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

pub mod cluster;
pub mod oidc;
pub mod process;
pub mod proxy;
pub mod served;
pub mod smtp;
pub mod sql;
pub mod totp;
// Like `dead_code` above: each test binary uses only some of these.
#[allow(unused_imports)]
pub use process::*;
#[allow(unused_imports)]
pub use sql::OtherClient;

pub const PASSWORD: &str = "Str0ng!Passw0rd";
pub const SECRET: &str = "test-secret-that-is-long-enough-0123456789";

/// Generates `#[tokio::test]`s running each listed `async fn name(db: Db)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() { super::$name($crate::common::Db::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() { super::$name($crate::common::Db::Postgres).await }
            )*
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub fn admin_postgres_url() -> String {
    std::env::var("AUTHDESK_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database that lives as long as this value: a temp SQLite file, or a PostgreSQL database
/// created for this test and dropped afterwards.
pub struct TestDb {
    pub url: DatabaseUrl,
    pub kind: Db,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(kind: Db) -> Self {
        match kind {
            Db::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = DatabaseUrl::Sqlite(dir.path().join("authdesk.db"));
                Self { url, kind, _dir: Some(dir), pg_name: None }
            }
            Db::Postgres => {
                let name = format!("authdesk_test_{}", Uuid::new_v4().simple());
                admin_execute(&format!("CREATE DATABASE {name}")).await;
                Self { url: DatabaseUrl::Postgres(postgres_url_for(&name)), kind, _dir: None, pg_name: Some(name) }
            }
        }
    }

    /// A PostgreSQL database this value does not own (the `postgres` database of a test's own
    /// cluster): nothing is dropped afterwards.
    pub fn borrowed_postgres(url: String) -> Self {
        Self { url: DatabaseUrl::Postgres(url), kind: Db::Postgres, _dir: None, pg_name: None }
    }

    /// The PostgreSQL database's name.
    pub fn name_of(db: &TestDb) -> &str {
        db.pg_name.as_deref().expect("a PostgreSQL test database")
    }

    /// The URL string as a user would pass it in DATABASE_URL.
    pub fn url_string(&self) -> String {
        match &self.url {
            DatabaseUrl::Sqlite(path) => format!("sqlite:{}", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }
}

impl Drop for TestDb {
    /// Drops the PostgreSQL database. Never panics: a panic here, while a failed test unwinds,
    /// would abort the whole test binary; a database left behind is only reported.
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Drop runs inside the test's runtime, which cannot block on itself. Every step of
            // `try_admin_execute` has a deadline, so the join does too.
            let dropped = std::thread::spawn(move || {
                let rt =
                    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
                rt.block_on(try_admin_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            })
            .join();
            match dropped {
                Ok(Ok(())) => {}
                Ok(Err(e)) => eprintln!("warning: the test database was not dropped: {e}"),
                Err(_) => eprintln!("warning: dropping the test database panicked"),
            }
        }
    }
}

pub fn postgres_url_for(dbname: &str) -> String {
    let admin = admin_postgres_url();
    let (base, query) = admin.split_once('?').map_or((admin.as_str(), None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{dbname}?{q}"),
        None => format!("{root}/{dbname}"),
    }
}

/// How long an administrative statement (create or drop a test database), connection included,
/// may take before the test fails instead of hanging.
const ADMIN_DEADLINE: Duration = Duration::from_secs(30);

pub async fn admin_execute(sql: &str) {
    try_admin_execute(sql).await.unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `sql` on the administrative database within [`ADMIN_DEADLINE`].
pub async fn try_admin_execute(sql: &str) -> Result<(), String> {
    let admin = admin_postgres_url();
    let work = async {
        let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.map_err(|e| {
            format!(
                "PostgreSQL is required for these tests and did not answer at {admin} ({e}). \
                 Run the README's test command (it starts a throwaway cluster), or set AUTHDESK_TEST_POSTGRES."
            )
        })?;
        let conn = tokio::spawn(connection);
        let result = client.batch_execute(sql).await.map_err(|e| format!("{sql}: {e}"));
        drop(client);
        let _ = conn.await;
        result
    };
    tokio::time::timeout(ADMIN_DEADLINE, work)
        .await
        .unwrap_or_else(|_| Err(format!("{sql}: PostgreSQL at {admin} did not answer within {ADMIN_DEADLINE:?}")))
}

/// Waits until `condition` holds, checking every 10 ms; fails the test after 20 s. For ordering a
/// story by what the server has done, never by how long it usually takes.
#[track_caller]
pub fn wait_for<'a, F, Fut>(what: &'a str, mut condition: F) -> impl std::future::Future<Output = ()> + 'a
where
    F: FnMut() -> Fut + 'a,
    Fut: std::future::Future<Output = bool> + 'a,
{
    let caller = std::panic::Location::caller();
    async move {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !condition().await {
            assert!(tokio::time::Instant::now() < deadline, "{caller}: still waiting for {what} after 20 s");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// The defaults, but for the limits stories would trip over by accident (every test client is
/// 127.0.0.1) and the floor under failed password checks (stories about it set it themselves).
pub fn test_config(db: &TestDb) -> Config {
    let mut config = Config::new(db.url.clone(), Secret::new(SECRET).unwrap());
    config.login_rate_limit = None;
    config.register_rate_limit = None;
    config.failed_check_floor = Duration::ZERO;
    config
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub store: Store,
    /// The server's own hasher (a clone sharing its counters), to count the work a request did.
    pub hasher: PasswordHasher,
    pub db: Arc<TestDb>,
    server: Option<RunningServer>,
}

pub async fn spawn_app(kind: Db) -> TestApp {
    spawn_app_with(kind, |_| {}).await
}

pub async fn spawn_app_with(kind: Db, configure: impl FnOnce(&mut Config)) -> TestApp {
    let db = Arc::new(TestDb::new(kind).await);
    spawn_on(db, configure).await
}

/// Starts a server on an existing database (a second instance, or a restart).
pub async fn spawn_on(db: Arc<TestDb>, configure: impl FnOnce(&mut Config)) -> TestApp {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    spawn_on_listener(db, listener, configure).await
}

/// Starts a server on a fresh database, on a listener bound beforehand (a provider must know the
/// server's callback before the server starts).
pub async fn spawn_app_at(kind: Db, listener: std::net::TcpListener, configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_on_listener(Arc::new(TestDb::new(kind).await), listener, configure).await
}

async fn spawn_on_listener(
    db: Arc<TestDb>,
    listener: std::net::TcpListener,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    let mut config = test_config(&db);
    configure(&mut config);
    let app = authdesk_server::build(&config).await.expect("server builds");
    let store = app.state.store.clone();
    let hasher = app.state.auth.hasher.clone();
    listener.set_nonblocking(true).unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    let server = authdesk_server::serve(app.router, listener, config.connections).unwrap();
    // Idle connections dropped before the server's 30 s idle deadline closes them: a request sent
    // on one just as it closes fails (a story that waits for the next TOTP step did).
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_idle_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    TestApp { base: format!("http://{}", server.addr()), http, store, hasher, db, server: Some(server) }
}

/// A response with its body read: status, headers and JSON (or `Value::Null` for an empty body).
#[derive(Debug)]
#[must_use = "a reply is there to be checked"]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub async fn from(resp: Response) -> Self {
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::Null) };
        Self { status, headers, body, text }
    }

    pub fn detail(&self) -> &str {
        self.body["detail"].as_str().unwrap_or_else(|| panic!("no string detail in {} {}", self.status, self.text))
    }

    /// Asserts an error reply: this status, this detail, a code a program can act on (one the
    /// contract knows), and a JSON body.
    #[track_caller]
    pub fn assert_error(&self, status: u16, detail: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(self.detail(), detail);
        assert!(
            self.headers.get("content-type").is_some_and(|v| v.to_str().unwrap().starts_with("application/json")),
            "error replies are JSON: {:?}",
            self.headers
        );
        let code = serde_json::from_value::<ErrorCode>(self.body["code"].clone());
        assert!(matches!(code, Ok(c) if c != ErrorCode::Unknown), "error replies carry a known code: {}", self.text);
    }

    /// Asserts the status (a story's step, whose answer is not its subject).
    #[track_caller]
    pub fn assert_status(&self, status: u16) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
    }

    /// Asserts an error reply with this status, code and detail.
    #[track_caller]
    pub fn assert_refused(&self, status: u16, code: &str, detail: &str) {
        self.assert_error(status, detail);
        assert_eq!(self.body["code"], code, "body: {}", self.text);
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        Reply::from(req.send().await.unwrap()).await
    }

    pub async fn register(&self, email: &str, password: &str) -> Reply {
        self.request(Method::POST, "/api/auth/register", None, Some(json!({"email": email, "password": password})))
            .await
    }

    /// Registers, asserting it worked (a story's setup, not its subject).
    #[track_caller]
    pub fn registered<'a>(&'a self, email: &'a str, password: &'a str) -> impl std::future::Future<Output = ()> + 'a {
        let caller = std::panic::Location::caller();
        async move {
            let reply = self.register(email, password).await;
            assert_eq!(reply.status, 201, "{caller}: registering {email}: {}", reply.text);
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.request(Method::POST, "/api/auth/login", None, Some(json!({"email": email, "password": password}))).await
    }

    pub async fn me(&self, token: &str) -> Reply {
        self.request(Method::GET, "/api/auth/me", Some(token), None).await
    }

    pub async fn with_auth_header(&self, path: &str, authorization: &str) -> Reply {
        Reply::from(self.http.get(self.url(path)).header("authorization", authorization).send().await.unwrap()).await
    }

    /// Registers `email` and logs in, returning (user id, access token).
    pub async fn signed_up(&self, email: &str) -> (Uuid, String) {
        let reg = self.register(email, PASSWORD).await;
        assert_eq!(reg.status, 201, "{}", reg.text);
        let login = self.login(email, PASSWORD).await;
        assert_eq!(login.status, 200, "{}", login.text);
        let id = login.body["user_id"].as_str().unwrap().parse().unwrap();
        (id, login.body["access_token"].as_str().unwrap().to_owned())
    }

    pub async fn list_tasks(&self, token: &str) -> Reply {
        self.request(Method::GET, "/api/tasks", Some(token), None).await
    }

    pub async fn create_task(&self, token: &str, title: &str) -> Reply {
        self.request(Method::POST, "/api/tasks", Some(token), Some(json!({"title": title}))).await
    }

    pub async fn update_task(&self, token: &str, id: &str, body: Value) -> Reply {
        self.request(Method::PATCH, &format!("/api/tasks/{id}"), Some(token), Some(body)).await
    }

    pub async fn delete_task(&self, token: &str, id: &str) -> Reply {
        self.request(Method::DELETE, &format!("/api/tasks/{id}"), Some(token), None).await
    }

    /// Stops the server gracefully; the database stays (see [`spawn_on`]).
    pub async fn stop(mut self) -> Arc<TestDb> {
        if let Some(server) = self.server.take() {
            server.shutdown().await.unwrap();
        }
        self.db.clone()
    }
}

pub fn unique_email() -> String {
    format!("user-{}@example.com", Uuid::new_v4().simple())
}

/// An RFC 3339 timestamp from a JSON reply, as an instant (so comparisons are by time, not text).
#[track_caller]
pub fn at(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().unwrap_or_else(|| panic!("not a timestamp: {value}"));
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text:?}: {e}")).with_timezone(&Utc)
}

/// An access token as the original design minted them: `sub`, `iat`, `exp` and no session id.
pub fn sessionless_token(user_id: &str, iat: i64) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"sub": user_id, "iat": iat, "exp": iat + 3600}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

/// What the pruner keeps: audit events and access tokens as given, tombstones 30 days.
pub fn retention(audit_events: Duration, access_tokens: Duration) -> authdesk_server::prune::Retention {
    let (tombstones, unverified_accounts) = (Duration::from_secs(30 * 86_400), Duration::from_secs(7 * 86_400));
    authdesk_server::prune::Retention { audit_events, access_tokens, tombstones, unverified_accounts }
}

/// Every migration, as `authdesk_schema_migrations` should list them once all are applied.
pub fn all_migrations() -> Vec<(i64, String)> {
    [
        (1, "init"),
        (2, "sessions"),
        (3, "mfa"),
        (4, "password_reset"),
        (5, "admin_audit"),
        (6, "signing_keys"),
        (7, "task_sync"),
        (8, "task_order"),
        (9, "registration"),
        (10, "sso"),
    ]
    .map(|(v, n)| (v, n.to_owned()))
    .to_vec()
}

/// The rows of `authdesk_schema_migrations` (version, name), read from the database itself.
pub async fn applied_migrations(db: &TestDb) -> Vec<(i64, String)> {
    const QUERY: &str = "SELECT version, name FROM authdesk_schema_migrations ORDER BY version";
    match &db.url {
        DatabaseUrl::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut statement = conn.prepare(QUERY).unwrap();
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        }
        DatabaseUrl::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
            let conn = tokio::spawn(connection);
            let rows = client.query(QUERY, &[]).await.unwrap();
            drop(client);
            let _ = conn.await;
            rows.iter().map(|row| (row.get(0), row.get(1))).collect()
        }
    }
}
