//! The load generator: concurrent keep-alive clients for a fixed time, and their latency figures.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::PASSWORD;

#[derive(Default)]
pub struct Stats {
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

    pub fn figures(mut self) -> Figures {
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

pub struct Figures {
    pub requests: usize,
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
    pub errors: u64,
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
pub struct Endpoint {
    pub http: reqwest::Client,
    pub base: Arc<str>,
    pub token: Arc<str>,
    /// Numbers the accounts registrations create, across turns.
    pub registered: Arc<AtomicU64>,
}

impl Endpoint {
    pub async fn read(&self, clients: usize, duration: Duration) -> Stats {
        let e = self.clone();
        load(clients, duration, 200, move || e.http.get(format!("{}/api/tasks", e.base)).bearer_auth(&e.token).send())
            .await
    }

    pub async fn login(&self, clients: usize, duration: Duration) -> Stats {
        let e = self.clone();
        load(clients, duration, 200, move || {
            e.http
                .post(format!("{}/api/auth/login", e.base))
                .json(&json!({"email": "bench@example.com", "password": PASSWORD}))
                .send()
        })
        .await
    }

    pub async fn register(&self, clients: usize, duration: Duration) -> Stats {
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

    /// One client signs in, one request at a time, while `flood` others register fresh accounts as
    /// fast as they can (their refusals, 503 when the hashing queue is full, count as errors).
    pub async fn registration_flood(&self, flood: usize, duration: Duration) -> (Stats, Stats) {
        let flooding = tokio::spawn({
            let e = self.clone();
            async move { e.register(flood, duration).await }
        });
        let logins = self.login(1, duration).await;
        (logins, flooding.await.unwrap())
    }

    /// 8 clients read their tasks while 32 others log in as fast as they can.
    pub async fn storm(&self, duration: Duration) -> (Stats, Stats) {
        let storm = tokio::spawn({
            let e = self.clone();
            async move { e.login(32, duration).await }
        });
        let reads = self.read(8, duration).await;
        (reads, storm.await.unwrap())
    }

    pub async fn tasks_json(&self) -> String {
        let resp = self.http.get(format!("{}/api/tasks", self.base)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        resp.text().await.unwrap()
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap()
}

/// Runs `turn(i, duration)` for targets 0..n in the order 0, 1, …, n-1, n-1, …, 1, 0, each turn half
/// of `duration`, and returns each target's stats over both of its turns.
pub async fn take_turns<T, F, Fut>(n: usize, duration: Duration, mut turn: F) -> Vec<T>
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

pub trait Merge {
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
