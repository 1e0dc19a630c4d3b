//! Live across devices, measured: `cargo bench -p authdesk-desktop --bench live`.
//!
//! A real server (this workspace's, release build, in this process, SQLite file) on a loopback
//! port; one account signed in on device A and on device B (two app states, two data folders).
//! A round: A adds a task and sends it (one sync pass); the clock runs until B's task list, as
//! the dashboard reads it after B's header said the tasks changed, has that task.
//!
//! - **events**: B holds the live change stream open (its poll an hour away);
//! - **poll** (the baseline, same run): B without the stream, polling every 30 s as the app did
//!   before; each round starts at a random moment of B's poll cycle, as a real edit would.
//!
//! Knobs: AUTHDESK_BENCH_ROUNDS (events, default 50), AUTHDESK_BENCH_POLL_ROUNDS (default 8: each
//! waits up to 30 s). Printed as a table (median, p99, max); the figures go to BENCHMARKS.md.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use authdesk_desktop::{Desktop, ServerChoice, SyncOptions};
use authdesk_server::{Config, DatabaseUrl, Secret};

const PASSWORD: &str = "Str0ng!Pass";
const EMAIL: &str = "live@example.com";

async fn device(data: &Path, base: &str, options: SyncOptions) -> Arc<Desktop> {
    let app = Desktop::open_with_files_and(data.to_path_buf(), options).await.unwrap();
    app.set_settings(ServerChoice::Remote { url: base.into() }).await.unwrap();
    app
}

/// How long after A sent a new task B's list has it (at most `limit`).
async fn one_round(a: &Desktop, b: &Desktop, n: usize, limit: Duration) -> Duration {
    let title = format!("round {n}");
    let mut seen = Some(b.sync_status().revision);
    a.create_task(title.clone()).await.unwrap();
    let started = Instant::now();
    a.sync_once().await.unwrap();
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if b.list_tasks().await.unwrap().iter().any(|t| t.title == title) {
            return started.elapsed();
        }
        let status = tokio::time::timeout_at(deadline, b.watch_sync(seen)).await.expect("B never had the task");
        seen = Some(status.revision);
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let at = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[at]
}

fn report(name: &str, samples: &mut [Duration]) {
    let (median, p99, max) = (percentile(samples, 0.5), percentile(samples, 0.99), percentile(samples, 1.0));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {name:<8} n={:<4} median {:>10.1} ms   p99 {:>10.1} ms   max {:>10.1} ms",
        samples.len(),
        ms(median),
        ms(p99),
        ms(max)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (rounds, poll_rounds) = (env("AUTHDESK_BENCH_ROUNDS", 50), env("AUTHDESK_BENCH_POLL_ROUNDS", 8));
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(DatabaseUrl::Sqlite(dir.path().join("server.db")), Secret::generate());
    config.login_rate_limit = None;
    config.register_rate_limit = None;
    let app = authdesk_server::build(&config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = authdesk_server::serve(app.router, listener, Default::default()).unwrap();
    let base = format!("http://{}", server.addr());

    let hour = Duration::from_secs(3600);
    let quiet = SyncOptions { poll: hour, min_backoff: Duration::from_millis(200), max_backoff: hour, live: false };
    let a = device(&dir.path().join("a"), &base, quiet).await;
    a.register(EMAIL.into(), PASSWORD.into(), None).await.unwrap();

    println!("a task added on device A, until device B lists it:");
    let live = device(&dir.path().join("b-live"), &base, SyncOptions { live: true, ..quiet }).await;
    live.login(EMAIL.into(), PASSWORD.into()).await.unwrap();
    live.list_tasks().await.unwrap();
    // The stream opens in the background; the first rounds wait for it, and are not counted.
    for n in 0..3 {
        one_round(&a, &live, n, Duration::from_secs(60)).await;
    }
    let mut events: Vec<Duration> = Vec::new();
    for n in 0..rounds {
        events.push(one_round(&a, &live, 100 + n, Duration::from_secs(60)).await);
    }
    report("events", &mut events);
    drop(live);

    let polling = SyncOptions { poll: Duration::from_secs(30), ..quiet };
    let poll = device(&dir.path().join("b-poll"), &base, polling).await;
    poll.login(EMAIL.into(), PASSWORD.into()).await.unwrap();
    poll.list_tasks().await.unwrap();
    let mut polled: Vec<Duration> = Vec::new();
    for n in 0..poll_rounds {
        // A random moment of B's cycle.
        tokio::time::sleep(Duration::from_millis(rand::random::<u64>() % 30_000)).await;
        polled.push(one_round(&a, &poll, 1000 + n, Duration::from_secs(40)).await);
    }
    report("poll", &mut polled);
    let ratio = percentile(&mut polled, 0.5).as_secs_f64() / percentile(&mut events, 0.5).as_secs_f64();
    println!("  poll / events (median)   {ratio:.0}x");
    server.shutdown().await.unwrap();
}
