//! Soak: `cargo bench -p authdesk-server --bench soak` (10 minutes by default).
//!
//! Three release `authdesk-server serve` processes on one fresh PostgreSQL database, behind a
//! round-robin client, get a fixed-rate mix for the whole time: registrations, sign-ins, token
//! refreshes, task reads and writes. The schedule is open-loop (each request leaves at its planned
//! instant whether or not earlier ones have answered), so a slow server shows as latency, not as a
//! lower rate. Printed: per kind of request, count, errors, p50, p99 and max; per instance, its
//! memory (RSS and PSS from /proc) after warm-up and at the end.
//!
//! Knobs: AUTHDESK_SOAK_SECONDS (default 600), AUTHDESK_SOAK_RATE (requests per second over all
//! instances, default 50), AUTHDESK_TEST_POSTGRES (admin URL, default
//! postgres://postgres@127.0.0.1:5432/postgres).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const SECRET: &str = "soak-secret-that-is-long-enough-0123456789";
const PASSWORD: &str = "Str0ng!Passw0rd";
const INSTANCES: usize = 3;
/// Users signed up before the clock starts, whose sessions the mix refreshes and whose tasks it uses.
const USERS: usize = 30;
/// Out of 100 requests: what each is.
const MIX: &[(Kind, u32)] = &[
    (Kind::Register, 4),
    (Kind::Login, 8),
    (Kind::Refresh, 8),
    (Kind::ListTasks, 50),
    (Kind::CreateTask, 20),
    (Kind::UpdateTask, 10),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Register,
    Login,
    Refresh,
    ListTasks,
    CreateTask,
    UpdateTask,
}

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

fn start_server(database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdesk-server"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("BETTER_AUTH_SECRET", SECRET)
        .env("DATABASE_URL", database_url)
        // Every request comes from 127.0.0.1: the per-address limits would measure themselves.
        .env("AUTHDESK_LOGIN_RATE_LIMIT", "off")
        .env("AUTHDESK_REGISTER_RATE_LIMIT", "off")
        .env("AUTHDESK_REFRESH_RATE_LIMIT", "off")
        .env("RUST_LOG", "warn,authdesk_server=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the release authdesk-server");
    let stderr = child.stderr.take().unwrap();
    let mut server = Server { child, base: String::new() };
    let (found, addr) = mpsc::channel();
    // Reads the address, then keeps draining so the process never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(addr) = line.split("addr=").nth(1).and_then(|rest| rest.split_whitespace().next()) {
                let _ = found.send(addr.to_owned());
            } else if line.contains("WARN") || line.contains("ERROR") {
                eprintln!("{line}");
            }
        }
    });
    let addr = addr.recv_timeout(Duration::from_secs(30)).expect("the server listens within 30 s");
    server.base = format!("http://{addr}");
    server
}

/// (RSS, PSS) in MiB, from /proc.
fn memory(pid: u32) -> (f64, f64) {
    let field = |file: &str, name: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/{file}"))
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("status", "VmRSS:"), field("smaps_rollup", "Pss:"))
}

/// A signed-up user: their current tokens and a task of theirs.
struct User {
    email: String,
    access: String,
    refresh: String,
    task: Option<String>,
}

struct Soak {
    http: reqwest::Client,
    bases: Vec<String>,
    next: AtomicUsize,
    users: Vec<Mutex<User>>,
    registered: AtomicUsize,
}

impl Soak {
    /// Round robin over the instances.
    fn base(&self) -> &str {
        &self.bases[self.next.fetch_add(1, Ordering::Relaxed) % self.bases.len()]
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Result<(u16, Value), reqwest::Error> {
        let mut request = self.http.post(format!("{}{path}", self.base())).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    /// One request of `kind` for user `n`; whether it got the answer it should.
    async fn run(&self, kind: Kind, n: usize) -> bool {
        let user = &self.users[n % self.users.len()];
        let (email, access, refresh, task) = {
            let u = user.lock().unwrap();
            (u.email.clone(), u.access.clone(), u.refresh.clone(), u.task.clone())
        };
        let result = match kind {
            Kind::Register => {
                let i = self.registered.fetch_add(1, Ordering::Relaxed);
                let email = format!("soak-new-{i}-{}@example.com", std::process::id());
                self.post("/api/auth/register", None, json!({"email": email, "password": PASSWORD}))
                    .await
                    .map(|r| r.0 == 201)
            }
            Kind::Login => self
                .post("/api/auth/login", None, json!({"email": email, "password": PASSWORD}))
                .await
                .map(|r| r.0 == 200),
            Kind::Refresh => match self.post("/api/auth/refresh", None, json!({"refresh_token": refresh})).await {
                Ok((200, body)) => {
                    let mut u = user.lock().unwrap();
                    // A concurrent refresh of the same session may have moved on already.
                    if u.refresh == refresh {
                        u.access = body["access_token"].as_str().unwrap_or_default().to_owned();
                        u.refresh = body["refresh_token"].as_str().unwrap_or_default().to_owned();
                    }
                    Ok(true)
                }
                other => other.map(|_| false),
            },
            Kind::ListTasks => {
                let response = self.http.get(format!("{}/api/tasks", self.base())).bearer_auth(&access).send().await;
                match response {
                    Ok(r) => {
                        let ok = r.status() == 200;
                        let _ = r.bytes().await;
                        Ok(ok)
                    }
                    Err(e) => Err(e),
                }
            }
            Kind::CreateTask => match self.post("/api/tasks", Some(&access), json!({"title": "soak"})).await {
                Ok((201, body)) => {
                    user.lock().unwrap().task = body["id"].as_str().map(str::to_owned);
                    Ok(true)
                }
                other => other.map(|_| false),
            },
            Kind::UpdateTask => match task {
                Some(id) => self
                    .http
                    .patch(format!("{}/api/tasks/{id}", self.base()))
                    .bearer_auth(&access)
                    .json(&json!({"completed": true}))
                    .send()
                    .await
                    .map(|r| r.status() == 200),
                None => Ok(true),
            },
        };
        result.unwrap_or(false)
    }
}

fn kind_at(i: u64) -> Kind {
    // A fixed interleaving of the mix (every 100 requests hold exactly the shares above).
    let slot = (i * 37 % 100) as u32;
    let mut acc = 0;
    for &(kind, share) in MIX {
        acc += share;
        if slot < acc {
            return kind;
        }
    }
    Kind::ListTasks
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("AUTHDESK_SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let rate: u64 = std::env::var("AUTHDESK_SOAK_RATE").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let admin = std::env::var("AUTHDESK_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("authdesk_soak_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.expect("PostgreSQL for the soak");
    tokio::spawn(conn);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);

    // The first instance migrates; the others start on the migrated database.
    let mut servers = vec![start_server(&url)];
    servers.extend((1..INSTANCES).map(|_| start_server(&url)));
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let mut soak = Soak {
        http,
        bases: servers.iter().map(|s| s.base.clone()).collect(),
        next: AtomicUsize::new(0),
        users: Vec::new(),
        registered: AtomicUsize::new(0),
    };
    for i in 0..USERS {
        let email = format!("soak-{i}-{}@example.com", std::process::id());
        let account = json!({"email": email, "password": PASSWORD});
        assert_eq!(soak.post("/api/auth/register", None, account.clone()).await.unwrap().0, 201);
        let (status, body) = soak.post("/api/auth/login", None, account).await.unwrap();
        assert_eq!(status, 200, "{body}");
        soak.users.push(Mutex::new(User {
            email,
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
            task: None,
        }));
    }
    let soak = Arc::new(soak);

    // A short warm-up, then the first memory reading.
    for i in 0..200 {
        soak.run(kind_at(i), i as usize).await;
    }
    let at_start: Vec<_> = servers.iter().map(|s| memory(s.child.id())).collect();

    println!("soak: {INSTANCES} instances on PostgreSQL, {rate} requests/s for {secs} s, round robin");
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let started = Instant::now();
    let total = rate * secs;
    let (done, results) = tokio::sync::mpsc::unbounded_channel::<(Kind, Duration, bool)>();
    for i in 0..total {
        let planned = started + interval.mul_f64(i as f64);
        tokio::time::sleep_until(planned.into()).await;
        let (soak, done) = (soak.clone(), done.clone());
        tokio::spawn(async move {
            let kind = kind_at(i);
            // Latency counts from the planned instant: a late start is the server's delay too.
            let ok = soak.run(kind, i as usize).await;
            let _ = done.send((kind, planned.elapsed(), ok));
        });
    }
    drop(done);
    let mut results = results;
    let mut by_kind: BTreeMap<Kind, (Vec<Duration>, u64)> = BTreeMap::new();
    while let Some((kind, took, ok)) = results.recv().await {
        let entry = by_kind.entry(kind).or_default();
        entry.0.push(took);
        entry.1 += u64::from(!ok);
    }
    let elapsed = started.elapsed();
    let at_end: Vec<_> = servers.iter().map(|s| memory(s.child.id())).collect();

    println!("\n| request | count | errors | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|");
    let mut all = Vec::new();
    let mut errors = 0;
    for (kind, (mut latencies, failed)) in by_kind {
        latencies.sort();
        println!(
            "| {kind:?} | {} | {failed} | {:.1} | {:.1} | {:.1} |",
            latencies.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            percentile(&latencies, 1.0)
        );
        errors += failed;
        all.extend(latencies);
    }
    all.sort();
    println!(
        "| all | {} | {errors} | {:.1} | {:.1} | {:.1} |",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    println!(
        "\nachieved {:.1} requests/s over {:.0} s",
        all.len() as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!("\n| instance | RSS start MiB | RSS end MiB | PSS start MiB | PSS end MiB |\n|---|---:|---:|---:|---:|");
    for (i, ((rss0, pss0), (rss1, pss1))) in at_start.iter().zip(&at_end).enumerate() {
        println!("| {} | {rss0:.1} | {rss1:.1} | {pss0:.1} | {pss1:.1} |", i + 1);
    }

    drop(servers);
    let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
}
