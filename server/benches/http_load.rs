//! HTTP load benchmark: `cargo bench -p authdesk-server --bench http_load`.
//!
//! Starts the release `authdesk-server` binary as its own process (on a temporary SQLite file, then
//! on a fresh PostgreSQL database), loads it from this process over loopback with a fixed number of
//! concurrent keep-alive clients for a fixed time, and prints req/s with p50/p99 latency per
//! scenario, plus the cost of one argon2id hash and the login throughput bound it implies.
//!
//! Knobs: AUTHDESK_BENCH_SECONDS (default 10), AUTHDESK_BENCH_DBS (default "sqlite,postgres"),
//! AUTHDESK_TEST_POSTGRES (admin URL, default postgres://postgres@127.0.0.1:5432/postgres).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PASSWORD: &str = "Str0ng!Passw0rd";
const SECRET: &str = "bench-secret-that-is-long-enough-0123456789";

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

fn start_server(database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("BETTER_AUTH_SECRET", SECRET)
        .env("DATABASE_URL", database_url)
        .env("AUTHDESK_LOGIN_RATE_LIMIT", "off")
        .env("RUST_LOG", "warn,authdesk_server=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start authdesk-server");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("server exited before listening").unwrap();
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining the pipe so the server never blocks on a full stdout.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base: format!("http://{addr}") }
}

#[derive(Default)]
struct Stats {
    latencies: Vec<Duration>,
    errors: u64,
    elapsed: Duration,
}

impl Stats {
    fn row(&mut self, name: &str, concurrency: usize) -> String {
        self.latencies.sort();
        let pct = |p: f64| {
            if self.latencies.is_empty() {
                return f64::NAN;
            }
            let i = ((self.latencies.len() as f64 * p).ceil() as usize).clamp(1, self.latencies.len()) - 1;
            self.latencies[i].as_secs_f64() * 1000.0
        };
        format!(
            "| {name} | {concurrency} | {} | {:.0} | {:.2} | {:.2} | {} |",
            self.latencies.len(),
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            self.errors
        )
    }
}

/// Runs `concurrency` workers for `duration`, each calling `make_request(seq)` in a loop.
async fn load<F, Fut>(concurrency: usize, duration: Duration, expect: u16, make_request: F) -> Stats
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send,
{
    let make_request = Arc::new(make_request);
    let seq = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (make_request, seq) = (make_request.clone(), seq.clone());
            tokio::spawn(async move {
                let mut stats = Stats::default();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match make_request(seq.fetch_add(1, Ordering::Relaxed)).await {
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
        let s = w.await.unwrap();
        total.latencies.extend(s.latencies);
        total.errors += s.errors;
    }
    total.elapsed = start.elapsed();
    total
}

async fn bench_backend(name: &str, database_url: &str, secs: Duration) -> Vec<String> {
    let server = start_server(database_url);
    let base = Arc::new(server.base.clone());
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap();
    let post = |path: &str, body: Value| http.post(format!("{base}{path}")).json(&body).send();
    assert_eq!(
        post("/api/auth/register", json!({"email": "bench@example.com", "password": PASSWORD})).await.unwrap().status(),
        201
    );
    let login: Value = post("/api/auth/login", json!({"email": "bench@example.com", "password": PASSWORD}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = Arc::new(login["access_token"].as_str().unwrap().to_owned());
    for i in 0..20 {
        http.post(format!("{base}/api/tasks"))
            .bearer_auth(&*token)
            .json(&json!({"title": format!("task {i}")}))
            .send()
            .await
            .unwrap();
    }

    let mut rows = Vec::new();
    let get_tasks = {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        move |_| http.get(format!("{base}/api/tasks")).bearer_auth(&*token).send()
    };
    let login_req = {
        let (http, base) = (http.clone(), base.clone());
        move |_| {
            http.post(format!("{base}/api/auth/login"))
                .json(&json!({"email": "bench@example.com", "password": PASSWORD}))
                .send()
        }
    };
    let register_req = {
        let (http, base) = (http.clone(), base.clone());
        move |i: u64| {
            http.post(format!("{base}/api/auth/register"))
                .json(&json!({"email": format!("r{i}@example.com"), "password": PASSWORD}))
                .send()
        }
    };

    rows.push(load(32, secs, 200, get_tasks.clone()).await.row(&format!("{name}: GET /api/tasks (20 tasks)"), 32));
    rows.push(load(8, secs, 200, login_req.clone()).await.row(&format!("{name}: POST /api/auth/login"), 8));
    rows.push(load(8, secs, 201, register_req).await.row(&format!("{name}: POST /api/auth/register"), 8));
    // A login storm (32 clients hammering login) while 8 clients read their tasks.
    let storm = tokio::spawn(load(32, secs, 200, login_req));
    let mut during = load(8, secs, 200, get_tasks).await;
    let mut storm = storm.await.unwrap();
    rows.push(during.row(&format!("{name}: GET /api/tasks during login storm"), 8));
    rows.push(storm.row(&format!("{name}: … the storm's logins"), 32));
    rows
}

async fn create_pg_database() -> (String, String) {
    let admin = std::env::var("AUTHDESK_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("authdesk_bench_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) =
        tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.expect("PostgreSQL for the benchmark");
    tokio::spawn(conn);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let root = admin.rsplit_once('/').unwrap().0;
    (admin.clone(), format!("{root}/{name}"))
}

async fn drop_pg_database(admin: &str, url: &str) {
    let name = url.rsplit('/').next().unwrap();
    let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing and should not load the machine.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let secs =
        Duration::from_secs(std::env::var("AUTHDESK_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10));
    let dbs = std::env::var("AUTHDESK_BENCH_DBS").unwrap_or_else(|_| "sqlite,postgres".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    // One argon2id hash, in this process, with the server's parameters.
    let _ = authdesk_server::auth::password::hash_blocking("warm-up");
    let n = 20;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(authdesk_server::auth::password::hash_blocking(PASSWORD));
    }
    let hash_time = t.elapsed() / n;
    let bound = cores as f64 / hash_time.as_secs_f64();

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut rows = Vec::new();
    rt.block_on(async {
        for db in dbs.split(',').map(str::trim) {
            match db {
                "sqlite" => {
                    let dir = tempfile::tempdir().unwrap();
                    let url = format!("sqlite:{}", dir.path().join("bench.db").display());
                    rows.extend(bench_backend("sqlite", &url, secs).await);
                }
                "postgres" => {
                    let (admin, url) = create_pg_database().await;
                    rows.extend(bench_backend("postgres", &url, secs).await);
                    drop_pg_database(&admin, &url).await;
                }
                other => panic!("unknown database {other:?}"),
            }
        }
    });

    println!(
        "\nargon2id m=19456 KiB, t=2, p=1: {:.1} ms per hash (mean of {n}); cores: {cores}",
        hash_time.as_secs_f64() * 1000.0
    );
    println!("login throughput bound (cores / hash time): {bound:.1} logins/s\n");
    println!("| scenario | clients | requests | req/s | p50 ms | p99 ms | errors |");
    println!("|---|---|---|---|---|---|---|");
    for row in &rows {
        println!("{row}");
    }
    for row in rows.iter().filter(|r| r.contains("POST /api/auth/login |")) {
        let rps: f64 = row.split('|').nth(4).unwrap().trim().parse().unwrap();
        println!("\n{} login at {:.0}% of the bound", row.split('|').nth(1).unwrap().trim(), 100.0 * rps / bound);
    }
}
