//! Remote mode, measured: `cargo bench -p authdesk-desktop --bench sync`.
//!
//! A real server (release build of this workspace's server crate, in this process, SQLite file)
//! on a loopback port, one account with 1,000 tasks.
//!
//! 1. **First paint of the dashboard**: what the window waits for before it can draw the list,
//!    from a cold start of the shell's state. With the replica: open the app state, restore the
//!    session, list the tasks (all from this computer). The baseline, in the same run: what the app
//!    did before (and still does in embedded mode): ask the server who is signed in, then for the
//!    task list, over HTTP on loopback with a fresh connection. Alternated, N rounds each, median.
//! 2. **Sync of 1,000 queued changes**: the server is stopped, 1,000 tasks are created in the app
//!    (queued), the server comes back on the same port and database, and one sync pass is timed
//!    until the outbox is empty. The baseline: the same 1,000 creates sent straight to the server
//!    one after another, as the app did before.
//!
//! Knobs: AUTHDESK_BENCH_ROUNDS (default 30). Printed as a table; the ratios go to BENCHMARKS.md.

use std::path::Path;
use std::time::{Duration, Instant};

use authdesk_contract::{CreateTaskRequest, LoginRequest};
use authdesk_desktop::client::SignIn;
use authdesk_desktop::{Client, Desktop, ServerChoice, SyncOptions};
use authdesk_server::{Config, DatabaseUrl, RunningServer, Secret};

const PASSWORD: &str = "Str0ng!Pass";
const TASKS: usize = 1_000;

fn options() -> SyncOptions {
    // No timer pass in the middle of a measurement.
    SyncOptions {
        poll: Duration::from_secs(3600),
        min_backoff: Duration::from_secs(3600),
        max_backoff: Duration::from_secs(3600),
        live: false,
    }
}

async fn start_server(config: &Config, addr: &str) -> RunningServer {
    let app = authdesk_server::build(config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    authdesk_server::serve(app.router, listener, Default::default()).expect("serve")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

async fn token(client: &Client, email: &str) -> String {
    match client.login(&LoginRequest { email: email.into(), password: PASSWORD.into() }).await.unwrap() {
        SignIn::Granted(answer) => answer.access_token,
        SignIn::SecondFactor { .. } | SignIn::VerifyEmail => unreachable!("an open server, no second factor"),
    }
}

async fn first_paint(base: &str, data: &Path, email: &str, rounds: usize) -> (Duration, Duration) {
    let (mut replica, mut network) = (Vec::new(), Vec::new());
    let bearer = token(&Client::remote(base).unwrap(), email).await;
    for _ in 0..rounds {
        let started = Instant::now();
        let app = Desktop::open_with_files_and(data.to_path_buf(), options()).await.unwrap();
        app.restore_session().await.unwrap().expect("signed in");
        assert_eq!(app.list_tasks().await.unwrap().len(), TASKS);
        replica.push(started.elapsed());
        drop(app);

        let started = Instant::now();
        let client = Client::remote(base).unwrap();
        client.me(&bearer).await.unwrap();
        assert_eq!(client.list_tasks(&bearer).await.unwrap().len(), TASKS);
        network.push(started.elapsed());
        // The dropped app's launch pass finishes outside the measurement.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (median(replica), median(network))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds: usize = std::env::var("AUTHDESK_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(DatabaseUrl::Sqlite(dir.path().join("server.db")), Secret::generate());
    config.login_rate_limit = None;
    config.register_rate_limit = None;
    let server = start_server(&config, "127.0.0.1:0").await;
    let addr = server.addr().to_string();
    let base = format!("http://{addr}");

    // One account with 1,000 tasks, made through the API; the app signed in and synced.
    let data = dir.path().join("app");
    let app = Desktop::open_with_files_and(data.clone(), options()).await.unwrap();
    app.set_settings(ServerChoice::Remote { url: base.clone() }).await.unwrap();
    let email = "bench@example.com";
    app.register(email.into(), PASSWORD.into(), None).await.unwrap();
    app.me().await.unwrap();
    let direct = Client::remote(&base).unwrap();
    let bearer = token(&direct, email).await;
    for i in 0..TASKS {
        direct
            .create_task(&bearer, &CreateTaskRequest { id: None, title: format!("task {i}"), completed: None })
            .await
            .unwrap();
    }
    app.sync_once().await.unwrap();
    drop(app);

    let (replica, network) = first_paint(&base, &data, email, rounds).await;
    println!("first paint data, {TASKS} tasks, median of {rounds} (cold shell state each time):");
    println!("  replica (open + restore + list)      {:>10}", ms(replica));
    println!("  network (me + GET /api/tasks)         {:>10}", ms(network));
    println!("  replica / network                     {:>10.3}", replica.as_secs_f64() / network.as_secs_f64());

    // 2. 1,000 changes queued offline, then one pass; against 1,000 creates sent directly.
    let email = "queue@example.com";
    let data = dir.path().join("queue");
    let app = Desktop::open_with_files_and(data, options()).await.unwrap();
    app.set_settings(ServerChoice::Remote { url: base.clone() }).await.unwrap();
    app.register(email.into(), PASSWORD.into(), None).await.unwrap();
    app.sync_once().await.unwrap();
    server.shutdown().await.unwrap();
    let queued_at = Instant::now();
    for i in 0..TASKS {
        app.create_task(format!("offline {i}")).await.unwrap();
    }
    let queueing = queued_at.elapsed();
    assert_eq!(app.sync_status().waiting as usize, TASKS);
    // The app's own loop tried after each change and failed; let it go idle before timing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let server = start_server(&config, &addr).await;
    let started = Instant::now();
    app.sync_once().await.unwrap();
    let sync = started.elapsed();
    assert_eq!(app.sync_status().waiting, 0);

    let bearer = token(&direct, email).await;
    let started = Instant::now();
    for i in 0..TASKS {
        direct
            .create_task(&bearer, &CreateTaskRequest { id: None, title: format!("direct {i}"), completed: None })
            .await
            .unwrap();
    }
    let baseline = started.elapsed();
    println!("{TASKS} changes:");
    println!("  queued offline in the app            {:>10}", ms(queueing));
    println!("  synced in one pass                    {:>10}", ms(sync));
    println!("  sent directly (baseline)              {:>10}", ms(baseline));
    println!("  sync / direct                         {:>10.3}", sync.as_secs_f64() / baseline.as_secs_f64());
    server.shutdown().await.unwrap();
}
