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
//! - the **argon2 bound** for login and registration: argon2id hashes per second with one thread
//!   per core hashing at once, measured again just before each of those scenarios.
//! - for a sign-in during a **registration flood** (128 clients registering fresh accounts), the same
//!   single client signing in with no flood, on the same server in the same run.
//! - a **baseline binary** when `AUTHDESK_BENCH_BASELINE=/path/to/authdesk-server` is set: it runs
//!   every scenario too, on its own database. Within a scenario the binaries take turns of half the
//!   time each, in the order baseline, current, current, baseline, so drift hits both alike.
//!
//! - with `AUTHDESK_BENCH_EDDSA=1`, the current binary a second time, signing with Ed25519
//!   (`AUTHDESK_TOKEN_SIGNING=eddsa`) as "eddsa", read against the current binary's HS256 turns.
//!
//! Knobs: AUTHDESK_BENCH_SECONDS (seconds per scenario and binary, default 10), AUTHDESK_BENCH_DBS
//! (default "sqlite,postgres"), AUTHDESK_TEST_POSTGRES (admin URL, default
//! postgres://postgres@127.0.0.1:5432/postgres), AUTHDESK_BENCH_BASELINE (unset: no baseline).

mod ceiling;
mod load;
mod servers;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use load::{client, take_turns, Endpoint, Figures, Stats};
use servers::{create_pg_database, drop_pg_database, start_ceiling, start_subject, Subject};

const PASSWORD: &str = "Str0ng!Passw0rd";
const SECRET: &str = "bench-secret-that-is-long-enough-0123456789";
/// Set (to "ceiling") when this binary is re-executed to serve as the ceiling.
const ROLE_ENV: &str = "AUTHDESK_BENCH_ROLE";
/// The tasks the ceiling answers with, as the real server's JSON.
const TASKS_ENV: &str = "AUTHDESK_BENCH_TASKS";
/// How long a started process may take to print the address it listens on.
const LISTEN_DEADLINE: Duration = Duration::from_secs(30);
const READ_CLIENTS: usize = 32;

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
const LOGIN_ALONE: &str = "POST /api/auth/login, one client";
const FLOOD_LOGIN: &str = "… the same during a registration flood";
const FLOOD_REGISTER: &str = "… the flood's registrations (errors: 503)";
/// Registration clients in the flood: enough to fill an unbounded queue for seconds.
const FLOOD_CLIENTS: usize = 128;

async fn bench_backend(db: &'static str, subjects: &[Subject], secs: Duration, cores: usize) -> Vec<Row> {
    // The HS256 subject's token: the ceiling checks HS256 only.
    let current = &subjects.iter().find(|s| s.binary == "current").expect("the current binary runs").endpoint;
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
        // Measured again beside each scenario: this machine's speed drifts over a run.
        let argon2_bound = tokio::task::spawn_blocking(move || argon2_bound(cores)).await.unwrap();
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

    // A sign-in's latency alone, then while a registration flood fills the hashing queue.
    eprintln!("{db}: {FLOOD_LOGIN}");
    let alone = take_turns(n, secs, |i, d| subjects[i].endpoint.login(1, d)).await;
    let floods = take_turns(n, secs, |i, d| subjects[i].endpoint.registration_flood(FLOOD_CLIENTS, d)).await;
    let mut flood_rows = Vec::new();
    for ((subject, alone), (logins, registrations)) in subjects.iter().zip(alone).zip(floods) {
        let alone = row(LOGIN_ALONE, subject.binary, 1, alone);
        let mut during = row(FLOOD_LOGIN, subject.binary, 1, logins);
        during.versus = format!("p99 {:.1} × alone", during.figures.p99 / alone.figures.p99);
        rows.push(alone);
        flood_rows.push(during);
        flood_rows.push(row(FLOOD_REGISTER, subject.binary, FLOOD_CLIENTS, registrations));
    }
    rows.extend(flood_rows);
    rows
}

/// Logins per second no server can beat here: argon2id hashes with the server's parameters, one
/// thread per core, all at once, for about two seconds.
fn argon2_bound(cores: usize) -> f64 {
    let started = Instant::now();
    let hashes: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut n = 0;
                    while started.elapsed() < Duration::from_secs(2) {
                        std::hint::black_box(authdesk_server::auth::password::hash_blocking(PASSWORD));
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    hashes as f64 / started.elapsed().as_secs_f64()
}

/// The binaries under test, baseline first: (label, path, how it signs tokens).
fn binaries() -> Vec<(&'static str, PathBuf, &'static str)> {
    let mut binaries = Vec::new();
    if let Some(path) = std::env::var_os("AUTHDESK_BENCH_BASELINE").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "AUTHDESK_BENCH_BASELINE: no file at {}", path.display());
        binaries.push(("baseline", path, "hs256"));
    }
    let current = PathBuf::from(env!("CARGO_BIN_EXE_authdesk-server"));
    if std::env::var("AUTHDESK_BENCH_EDDSA").as_deref() == Ok("1") {
        binaries.push(("eddsa", current.clone(), "eddsa"));
    }
    binaries.push(("current", current, "hs256"));
    binaries
}

fn print_report(rows: &[Row], hash_time: Duration, hashes: u32, cores: usize, bound: f64) {
    println!(
        "\nargon2id m=19456 KiB, t=2, p=1: {:.1} ms per hash (mean of {hashes}); cores: {cores}",
        hash_time.as_secs_f64() * 1000.0
    );
    println!("login throughput bound (a hash per core at once, at the start): {bound:.1} logins/s\n");
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
         (no database); login and registration against the argon2 bound; a sign-in during a registration \
         flood against the same sign-in alone."
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
    for r in rows.iter().filter(|r| r.binary == "eddsa") {
        if let Some(hs256) = figures.get(&(r.db, r.scenario, "current")) {
            println!(
                "{}: {}: EdDSA {:.0} req/s = {:.2} × HS256 {:.0} (p99 {:.2} vs {:.2} ms)",
                r.db,
                r.scenario,
                r.figures.rps,
                r.figures.rps / hs256.rps,
                hs256.rps,
                r.figures.p99,
                hs256.p99
            );
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
    for (label, path, signing) in &binaries {
        eprintln!("{label}: {} ({signing})", path.display());
    }

    // One argon2id hash, in this process, with the server's parameters.
    let _ = authdesk_server::auth::password::hash_blocking("warm-up");
    let hashes = 20;
    let t = Instant::now();
    for _ in 0..hashes {
        std::hint::black_box(authdesk_server::auth::password::hash_blocking(PASSWORD));
    }
    let hash_time = t.elapsed() / hashes;
    let bound = argon2_bound(cores);

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut rows = Vec::new();
    rt.block_on(async {
        for db in dbs.split(',').map(str::trim) {
            match db {
                "sqlite" => {
                    let dir = tempfile::tempdir().unwrap();
                    let mut subjects = Vec::new();
                    for (label, path, signing) in &binaries {
                        let url = format!("sqlite:{}", dir.path().join(format!("{label}.db")).display());
                        subjects.push(start_subject(label, path, signing, &url).await);
                    }
                    rows.extend(bench_backend("sqlite", &subjects, secs, cores).await);
                }
                "postgres" => {
                    let admin = std::env::var("AUTHDESK_TEST_POSTGRES")
                        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                    let mut urls = Vec::new();
                    let mut subjects = Vec::new();
                    for (label, path, signing) in &binaries {
                        urls.push(create_pg_database(&admin).await);
                        subjects.push(start_subject(label, path, signing, urls.last().unwrap()).await);
                    }
                    rows.extend(bench_backend("postgres", &subjects, secs, cores).await);
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
