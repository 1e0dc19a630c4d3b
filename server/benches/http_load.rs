//! HTTP load benchmark: `cargo bench -p authdesk-server --bench http_load`.
//!
//! Starts the release `authdesk-server` binary as its own process (on a temporary SQLite file, then
//! on a fresh PostgreSQL database), loads it from this process over loopback with a fixed number of
//! concurrent keep-alive clients for a fixed time, and prints req/s with p50/p99 latency per
//! scenario, plus the cost of one argon2id hash and the login throughput bound it implies.
//!
//! Every figure comes with what to read it against, measured in the same run:
//! - the **ceiling** for `GET /api/tasks`: a bare axum server in its own process (this bench binary,
//!   re-executed with `AUTHDESK_BENCH_ROLE=ceiling`) that makes the server's HS256 token check and
//!   answers with the same 20 tasks from memory, serialized the same way. It accepts the real
//!   server's tokens, so the client sends it the same request bytes. It runs right before and right
//!   after the servers' turns, and its figure is the two turns together.
//! - the **argon2 bound** for login and registration: cores ÷ the time of one hash.
//! - a **baseline binary** when `AUTHDESK_BENCH_BASELINE=/path/to/authdesk-server` is set: it runs
//!   every scenario too, on its own database. Within a scenario the binaries take turns of half the
//!   time each, in the order baseline, current, current, baseline, so drift hits both alike.
//!
//! Knobs: AUTHDESK_BENCH_SECONDS (seconds per scenario and binary, default 10), AUTHDESK_BENCH_DBS
//! (default "sqlite,postgres"), AUTHDESK_TEST_POSTGRES (admin URL, default
//! postgres://postgres@127.0.0.1:5432/postgres), AUTHDESK_BENCH_BASELINE (unset: no baseline).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "Str0ng!Passw0rd";
const SECRET: &str = "bench-secret-that-is-long-enough-0123456789";
/// Set (to "ceiling") when this binary is re-executed to serve as the ceiling.
const ROLE_ENV: &str = "AUTHDESK_BENCH_ROLE";
/// The tasks the ceiling answers with, as the real server's JSON.
const TASKS_ENV: &str = "AUTHDESK_BENCH_TASKS";
/// How long a started process may take to print the address it listens on.
const LISTEN_DEADLINE: Duration = Duration::from_secs(30);
const READ_CLIENTS: usize = 32;

/// A server process; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` and waits (at most [`LISTEN_DEADLINE`]) for it to print `addr=<host:port>`.
fn start(mut command: Command, what: &str) -> Server {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap_or_else(|e| {
        panic!("cannot start {what}: {e}");
    });
    let stdout = child.stdout.take().unwrap();
    // From here on a panic kills the process.
    let mut server = Server { child, base: String::new() };
    let (found, addr) = mpsc::channel();
    // Reads the address, then keeps draining the pipe so the process never blocks on a full stdout.
    std::thread::spawn(move || {
        let mut found = Some(found);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.split("addr=").nth(1).and_then(|rest| rest.split_whitespace().next()) {
                if let Some(found) = found.take() {
                    let _ = found.send(addr.to_owned());
                }
            }
        }
    });
    let addr = addr.recv_timeout(LISTEN_DEADLINE).unwrap_or_else(|e| match e {
        mpsc::RecvTimeoutError::Timeout => panic!("{what} printed no address within {LISTEN_DEADLINE:?}"),
        mpsc::RecvTimeoutError::Disconnected => panic!("{what} exited before listening"),
    });
    server.base = format!("http://{addr}");
    server
}

fn start_server(binary: &Path, database_url: &str) -> Server {
    let mut command = Command::new(binary);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("BETTER_AUTH_SECRET", SECRET)
        .env("DATABASE_URL", database_url)
        .env("AUTHDESK_LOGIN_RATE_LIMIT", "off")
        .env("RUST_LOG", "warn,authdesk_server=info")
        .env("NO_COLOR", "1");
    start(command, &binary.display().to_string())
}

fn start_ceiling(tasks_json: &str) -> Server {
    let mut command = Command::new(std::env::current_exe().expect("the bench binary's path"));
    command.env(ROLE_ENV, "ceiling").env("BETTER_AUTH_SECRET", SECRET).env(TASKS_ENV, tasks_json);
    start(command, "the ceiling server")
}

/// The ceiling: what `GET /api/tasks` could cost with the same token check and no database.
mod ceiling {
    use std::sync::Arc;

    use authdesk_contract::Task;
    use axum::extract::State;
    use axum::http::header::AUTHORIZATION;
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use axum::{Json, Router};
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    use serde::Deserialize;
    use uuid::Uuid;

    /// The server's access token claims.
    #[derive(Deserialize)]
    struct Claims {
        sub: String,
        #[expect(dead_code, reason = "jsonwebtoken checks it; a token without it fails to decode")]
        exp: i64,
        iat: Option<i64>,
        sid: Option<String>,
    }

    struct Ceiling {
        decoding: DecodingKey,
        validation: Validation,
        tasks: Vec<Task>,
    }

    impl Ceiling {
        /// The server's checks: `Bearer <token>`, HS256 only, `exp` and `sub` required, no leeway,
        /// `iat` not in the future, `sub` and `sid` UUIDs.
        fn verify(&self, headers: &HeaderMap) -> Result<(Uuid, Option<Uuid>), &'static str> {
            let value = headers.get(AUTHORIZATION).ok_or("Authorization header required")?;
            let value = value.to_str().map_err(|_| "Invalid authorization format")?;
            let mut words = value.split_whitespace();
            let token = match (words.next(), words.next(), words.next()) {
                (Some(scheme), Some(token), None) if scheme.eq_ignore_ascii_case("bearer") => token,
                _ => return Err("Invalid authorization format"),
            };
            let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                .map_err(|_| "Token error: invalid-token")?
                .claims;
            // `exp` was checked by jsonwebtoken (no leeway), like `nbf`.
            if claims.iat.is_some_and(|iat| iat > chrono::Utc::now().timestamp() + 30) {
                return Err("Token error: invalid-token");
            }
            let user = Uuid::parse_str(&claims.sub).map_err(|_| "Token error: invalid-token")?;
            let session =
                claims.sid.as_deref().map(Uuid::parse_str).transpose().map_err(|_| "Token error: invalid-token")?;
            Ok((user, session))
        }
    }

    async fn list_tasks(State(ceiling): State<Arc<Ceiling>>, headers: HeaderMap) -> Response {
        match ceiling.verify(&headers) {
            // As the server answers: `Json` of the task list.
            Ok(_) => Json(&ceiling.tasks).into_response(),
            Err(detail) => (StatusCode::UNAUTHORIZED, Json(serde_json::json!({ "detail": detail }))).into_response(),
        }
    }

    /// Serves on 127.0.0.1:0 and prints `addr=…`; secret and tasks come from the environment.
    pub fn serve() {
        let secret = std::env::var("BETTER_AUTH_SECRET").expect("BETTER_AUTH_SECRET for the ceiling");
        let tasks = std::env::var(super::TASKS_ENV).expect("the ceiling's tasks");
        // Pinned like the server's: a token naming another algorithm is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.leeway = 0;
        validation.validate_nbf = true;
        let ceiling = Arc::new(Ceiling {
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            tasks: serde_json::from_str(&tasks).expect("the ceiling's tasks as JSON"),
        });
        // Like the server's `#[tokio::main]`: multi-thread runtime, default number of workers.
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            println!("ceiling listening addr={}", listener.local_addr().unwrap());
            let router = Router::new().route("/api/tasks", get(list_tasks)).with_state(ceiling);
            axum::serve(listener, router).await.unwrap();
        });
    }
}

#[derive(Default)]
struct Stats {
    latencies: Vec<Duration>,
    errors: u64,
    elapsed: Duration,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        self.elapsed += other.elapsed;
    }

    fn figures(mut self) -> Figures {
        self.latencies.sort();
        let pct = |p: f64| {
            if self.latencies.is_empty() {
                return f64::NAN;
            }
            let i = ((self.latencies.len() as f64 * p).ceil() as usize).clamp(1, self.latencies.len()) - 1;
            self.latencies[i].as_secs_f64() * 1000.0
        };
        Figures {
            requests: self.latencies.len(),
            rps: self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            p50: pct(0.50),
            p99: pct(0.99),
            errors: self.errors,
        }
    }
}

struct Figures {
    requests: usize,
    rps: f64,
    p50: f64,
    p99: f64,
    errors: u64,
}

/// Runs `concurrency` workers for `duration`, each calling `make_request()` in a loop.
async fn load<F, Fut>(concurrency: usize, duration: Duration, expect: u16, make_request: F) -> Stats
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send,
{
    let make_request = Arc::new(make_request);
    let start = Instant::now();
    let deadline = start + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let make_request = make_request.clone();
            tokio::spawn(async move {
                let mut stats = Stats::default();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match make_request().await {
                        Ok(resp) if resp.status().as_u16() == expect => {
                            let _ = resp.bytes().await;
                            stats.latencies.push(t.elapsed());
                        }
                        _ => stats.errors += 1,
                    }
                }
                stats
            })
        })
        .collect();
    let mut total = Stats::default();
    for w in workers {
        total.merge(w.await.unwrap());
    }
    total.elapsed = start.elapsed();
    total
}

/// Where requests go: one server, with a signed-in user's token.
#[derive(Clone)]
struct Endpoint {
    http: reqwest::Client,
    base: Arc<str>,
    token: Arc<str>,
    /// Numbers the accounts registrations create, across turns.
    registered: Arc<AtomicU64>,
}

impl Endpoint {
    async fn read(&self, clients: usize, duration: Duration) -> Stats {
        let e = self.clone();
        load(clients, duration, 200, move || e.http.get(format!("{}/api/tasks", e.base)).bearer_auth(&e.token).send())
            .await
    }

    async fn login(&self, clients: usize, duration: Duration) -> Stats {
        let e = self.clone();
        load(clients, duration, 200, move || {
            e.http
                .post(format!("{}/api/auth/login", e.base))
                .json(&json!({"email": "bench@example.com", "password": PASSWORD}))
                .send()
        })
        .await
    }

    async fn register(&self, clients: usize, duration: Duration) -> Stats {
        let e = self.clone();
        load(clients, duration, 201, move || {
            let i = e.registered.fetch_add(1, Ordering::Relaxed);
            e.http
                .post(format!("{}/api/auth/register", e.base))
                .json(&json!({"email": format!("r{i}@example.com"), "password": PASSWORD}))
                .send()
        })
        .await
    }

    /// 8 clients read their tasks while 32 others log in as fast as they can.
    async fn storm(&self, duration: Duration) -> (Stats, Stats) {
        let storm = tokio::spawn({
            let e = self.clone();
            async move { e.login(32, duration).await }
        });
        let reads = self.read(8, duration).await;
        (reads, storm.await.unwrap())
    }

    async fn tasks_json(&self) -> String {
        let resp = self.http.get(format!("{}/api/tasks", self.base)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        resp.text().await.unwrap()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap()
}

/// A binary under test, running on its own database with one user who has 20 tasks.
struct Subject {
    binary: &'static str,
    endpoint: Endpoint,
    _server: Server,
}

async fn start_subject(binary: &'static str, path: &Path, database_url: &str) -> Subject {
    let server = start_server(path, database_url);
    let http = client();
    let base: Arc<str> = server.base.as_str().into();
    let post = |path: &str, body: Value| http.post(format!("{base}{path}")).json(&body).send();
    let account = json!({"email": "bench@example.com", "password": PASSWORD});
    assert_eq!(post("/api/auth/register", account.clone()).await.unwrap().status(), 201);
    let login: Value = post("/api/auth/login", account).await.unwrap().json().await.unwrap();
    let token: Arc<str> = login["access_token"].as_str().unwrap().into();
    for i in 0..20 {
        let resp = http
            .post(format!("{base}/api/tasks"))
            .bearer_auth(&token)
            .json(&json!({"title": format!("task {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let endpoint = Endpoint { http, base, token, registered: Arc::default() };
    Subject { binary, endpoint, _server: server }
}

/// Runs `turn(i, duration)` for targets 0..n in the order 0, 1, …, n-1, n-1, …, 1, 0, each turn half
/// of `duration`, and returns each target's stats over both of its turns.
async fn take_turns<T, F, Fut>(n: usize, duration: Duration, mut turn: F) -> Vec<T>
where
    T: Default + Merge,
    F: FnMut(usize, Duration) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut totals: Vec<T> = (0..n).map(|_| T::default()).collect();
    for i in (0..n).chain((0..n).rev()) {
        totals[i].merge_from(turn(i, duration / 2).await);
    }
    totals
}

trait Merge {
    fn merge_from(&mut self, other: Self);
}

impl Merge for Stats {
    fn merge_from(&mut self, other: Self) {
        self.merge(other);
    }
}

impl Merge for (Stats, Stats) {
    fn merge_from(&mut self, other: Self) {
        self.0.merge(other.0);
        self.1.merge(other.1);
    }
}

struct Row {
    db: &'static str,
    scenario: &'static str,
    binary: &'static str,
    clients: usize,
    figures: Figures,
    /// The "% of ceiling" cell.
    versus: String,
}

const READ: &str = "GET /api/tasks (20 tasks)";
const LOGIN: &str = "POST /api/auth/login";
const REGISTER: &str = "POST /api/auth/register";
const STORM_READ: &str = "GET /api/tasks during login storm";
const STORM_LOGIN: &str = "… the storm's logins";

async fn bench_backend(db: &'static str, subjects: &[Subject], secs: Duration, argon2_bound: f64) -> Vec<Row> {
    let current = &subjects.last().unwrap().endpoint;
    let tasks_json = current.tasks_json().await;
    let ceiling_server = start_ceiling(&tasks_json);
    // The current server's token: the ceiling gets the very requests the current server gets.
    let ceiling = &Endpoint { http: client(), base: ceiling_server.base.as_str().into(), ..current.clone() };
    assert_eq!(ceiling.tasks_json().await, tasks_json, "the ceiling answers with the server's bytes");

    let n = subjects.len();
    let row = |scenario, binary, clients, stats: Stats| Row {
        db,
        scenario,
        binary,
        clients,
        figures: stats.figures(),
        versus: String::new(),
    };
    let mut rows = Vec::new();

    // The ceiling's two turns wrap the servers' turns: ceiling, baseline, current, current, baseline, ceiling.
    eprintln!("{db}: {READ}");
    let mut reads = take_turns(n + 1, secs, |i, d| async move {
        match i {
            0 => ceiling.read(READ_CLIENTS, d).await,
            i => subjects[i - 1].endpoint.read(READ_CLIENTS, d).await,
        }
    })
    .await
    .into_iter();
    let ceiling_row = row(READ, "ceiling", READ_CLIENTS, reads.next().unwrap());
    let ceiling_rps = ceiling_row.figures.rps;
    rows.push(ceiling_row);
    for (subject, stats) in subjects.iter().zip(reads) {
        let mut r = row(READ, subject.binary, READ_CLIENTS, stats);
        r.versus = format!("{:.0} %", 100.0 * r.figures.rps / ceiling_rps);
        rows.push(r);
    }

    for (scenario, clients) in [(LOGIN, 8), (REGISTER, 8)] {
        eprintln!("{db}: {scenario}");
        let stats = take_turns(n, secs, |i, d| {
            let endpoint = &subjects[i].endpoint;
            async move {
                match scenario {
                    LOGIN => endpoint.login(clients, d).await,
                    _ => endpoint.register(clients, d).await,
                }
            }
        })
        .await;
        for (subject, stats) in subjects.iter().zip(stats) {
            let mut r = row(scenario, subject.binary, clients, stats);
            r.versus = format!("{:.0} % (argon2)", 100.0 * r.figures.rps / argon2_bound);
            rows.push(r);
        }
    }

    eprintln!("{db}: {STORM_READ}");
    let storms = take_turns(n, secs, |i, d| subjects[i].endpoint.storm(d)).await;
    let mut storm_logins = Vec::new();
    for (subject, (reads, logins)) in subjects.iter().zip(storms) {
        rows.push(row(STORM_READ, subject.binary, 8, reads));
        storm_logins.push(row(STORM_LOGIN, subject.binary, 32, logins));
    }
    rows.extend(storm_logins);
    rows
}

async fn create_pg_database(admin: &str) -> String {
    let name = format!("authdesk_bench_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) =
        tokio_postgres::connect(admin, tokio_postgres::NoTls).await.expect("PostgreSQL for the benchmark");
    tokio::spawn(conn);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let root = admin.rsplit_once('/').unwrap().0;
    format!("{root}/{name}")
}

async fn drop_pg_database(admin: &str, url: &str) {
    let name = url.rsplit('/').next().unwrap();
    let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
}

/// The binaries under test, baseline first: (label, path).
fn binaries() -> Vec<(&'static str, PathBuf)> {
    let mut binaries = Vec::new();
    if let Some(path) = std::env::var_os("AUTHDESK_BENCH_BASELINE").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "AUTHDESK_BENCH_BASELINE: no file at {}", path.display());
        binaries.push(("baseline", path));
    }
    binaries.push(("current", PathBuf::from(env!("CARGO_BIN_EXE_authdesk-server"))));
    binaries
}

fn print_report(rows: &[Row], hash_time: Duration, hashes: u32, cores: usize, bound: f64) {
    println!(
        "\nargon2id m=19456 KiB, t=2, p=1: {:.1} ms per hash (mean of {hashes}); cores: {cores}",
        hash_time.as_secs_f64() * 1000.0
    );
    println!("login throughput bound (cores / hash time): {bound:.1} logins/s\n");
    println!("| scenario | binary | clients | requests | req/s | p50 ms | p99 ms | errors | % of ceiling |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let f = &r.figures;
        println!(
            "| {}: {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {} | {} |",
            r.db, r.scenario, r.binary, r.clients, f.requests, f.rps, f.p50, f.p99, f.errors, r.versus,
        );
    }
    println!(
        "\n% of ceiling: reads against the bare axum server with the same token check and the same JSON \
         (no database); login and registration against the argon2 bound."
    );

    let figures: HashMap<(&str, &str, &str), &Figures> =
        rows.iter().map(|r| ((r.db, r.scenario, r.binary), &r.figures)).collect();
    println!();
    for binary in ["baseline", "current"] {
        if let (Some(sqlite), Some(postgres)) =
            (figures.get(&("sqlite", READ, binary)), figures.get(&("postgres", READ, binary)))
        {
            println!("{binary}: PostgreSQL read at {:.0} % of SQLite read", 100.0 * postgres.rps / sqlite.rps);
        }
    }
    for r in rows.iter().filter(|r| r.binary == "current") {
        if let Some(baseline) = figures.get(&(r.db, r.scenario, "baseline")) {
            println!(
                "{}: {}: current {:.0} req/s = {:.2} × baseline {:.0} (p99 {:.2} vs {:.2} ms)",
                r.db,
                r.scenario,
                r.figures.rps,
                r.figures.rps / baseline.rps,
                baseline.rps,
                r.figures.p99,
                baseline.p99
            );
        }
    }
}

fn main() {
    if std::env::var(ROLE_ENV).as_deref() == Ok("ceiling") {
        return ceiling::serve();
    }
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing and should not load the machine.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let secs =
        Duration::from_secs(std::env::var("AUTHDESK_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10));
    let dbs = std::env::var("AUTHDESK_BENCH_DBS").unwrap_or_else(|_| "sqlite,postgres".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let binaries = binaries();
    for (label, path) in &binaries {
        eprintln!("{label}: {}", path.display());
    }

    // One argon2id hash, in this process, with the server's parameters.
    let _ = authdesk_server::auth::password::hash_blocking("warm-up");
    let hashes = 20;
    let t = Instant::now();
    for _ in 0..hashes {
        std::hint::black_box(authdesk_server::auth::password::hash_blocking(PASSWORD));
    }
    let hash_time = t.elapsed() / hashes;
    let bound = cores as f64 / hash_time.as_secs_f64();

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut rows = Vec::new();
    rt.block_on(async {
        for db in dbs.split(',').map(str::trim) {
            match db {
                "sqlite" => {
                    let dir = tempfile::tempdir().unwrap();
                    let mut subjects = Vec::new();
                    for (label, path) in &binaries {
                        let url = format!("sqlite:{}", dir.path().join(format!("{label}.db")).display());
                        subjects.push(start_subject(label, path, &url).await);
                    }
                    rows.extend(bench_backend("sqlite", &subjects, secs, bound).await);
                }
                "postgres" => {
                    let admin = std::env::var("AUTHDESK_TEST_POSTGRES")
                        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                    let mut urls = Vec::new();
                    let mut subjects = Vec::new();
                    for (label, path) in &binaries {
                        urls.push(create_pg_database(&admin).await);
                        subjects.push(start_subject(label, path, urls.last().unwrap()).await);
                    }
                    rows.extend(bench_backend("postgres", &subjects, secs, bound).await);
                    drop(subjects);
                    for url in &urls {
                        drop_pg_database(&admin, url).await;
                    }
                }
                other => panic!("unknown database {other:?}"),
            }
        }
    });
    print_report(&rows, hash_time, hashes, cores, bound);
}
