//! The network between the apps and the server, as bad as a train's: an HTTP proxy on a loopback
//! port that can be taken down (connections refused, as when the server is stopped) and brought
//! back on the same port, and that can treat requests for tasks badly: drop them before they
//! reach the server, lose the server's answer, deliver them twice, delay them, or hold one back
//! and deliver it after later ones (the sender, told nothing came back, has moved on).
//! Sign-in and refresh requests are never mangled; the sync is what is under test.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{to_bytes, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::task::JoinHandle;

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fate {
    Deliver,
    /// Never reaches the server; the app gets a 502.
    Drop,
    /// Reaches the server; its answer is lost (504).
    LoseAnswer,
    /// Reaches the server twice; the app gets the first answer.
    Duplicate,
    /// Reaches the server late (up to 150 ms).
    Delay,
    /// The app gets a 504 at once; the request reaches the server 150–400 ms later, after
    /// whatever the app sent meanwhile.
    HoldBack,
    /// Like `HoldBack`, until the test calls [`Network::release`] (never drawn at random).
    Stall,
}

struct Shared {
    upstream: String,
    http: reqwest::Client,
    rng: Mutex<StdRng>,
    lossy: Mutex<bool>,
    /// Fates for the next task requests, before any random one.
    script: Mutex<VecDeque<Fate>>,
    /// How often each fate befell a request, and how many requests went to each path.
    fates: Mutex<HashMap<Fate, usize>>,
    paths: Mutex<HashMap<String, usize>>,
    held: Mutex<Vec<JoinHandle<()>>>,
    released: tokio::sync::watch::Sender<bool>,
}

pub struct Network {
    addr: SocketAddr,
    shared: Arc<Shared>,
    serving: Mutex<Option<JoinHandle<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Network {
    /// A network to `upstream` (`http://host:port`), up and behaving; `seed` fixes its bad luck.
    pub async fn to(upstream: &str, seed: u64) -> Self {
        let shared = Arc::new(Shared {
            upstream: upstream.to_owned(),
            http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap(),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            lossy: Mutex::new(false),
            script: Mutex::new(VecDeque::new()),
            fates: Mutex::new(HashMap::new()),
            paths: Mutex::new(HashMap::new()),
            held: Mutex::new(Vec::new()),
            released: tokio::sync::watch::Sender::new(false),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let network = Self { addr, shared, serving: Mutex::new(None) };
        network.serve(listener);
        network
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let router = axum::Router::new().fallback(forward).with_state(Arc::clone(&self.shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        *lock(&self.serving) = Some(task);
    }

    /// Connections are refused from now on. Every answer closed its connection, so none is left
    /// open for an app to reuse.
    pub async fn down(&self) {
        let serving = lock(&self.serving).take();
        if let Some(task) = serving {
            task.abort();
            let _ = task.await;
        }
    }

    /// Back on the same port.
    pub async fn up(&self) {
        self.down().await;
        let listener = tokio::net::TcpListener::bind(self.addr).await.expect("the port is free again");
        self.serve(listener);
    }

    pub fn set_lossy(&self, lossy: bool) {
        *lock(&self.shared.lossy) = lossy;
    }

    /// The next task requests meet these fates, in order, lossy or not.
    pub fn script(&self, fates: &[Fate]) {
        lock(&self.shared.script).extend(fates);
    }

    pub fn count(&self, fate: Fate) -> usize {
        lock(&self.shared.fates).get(&fate).copied().unwrap_or(0)
    }

    /// Requests that reached the proxy for `path` (without its query).
    pub fn requests_to(&self, path: &str) -> usize {
        lock(&self.shared.paths).get(path).copied().unwrap_or(0)
    }

    /// Lets stalled requests go on to the server, and waits until they (and every held-back
    /// one) have reached it.
    pub async fn release(&self) {
        self.shared.released.send_replace(true);
        self.settle().await;
    }

    /// Waits until every held-back request has reached the server.
    pub async fn settle(&self) {
        let held: Vec<_> = lock(&self.shared.held).drain(..).collect();
        for task in held {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }
}

impl Shared {
    fn fate(&self, path: &str) -> Fate {
        if !path.starts_with("/api/tasks") {
            return Fate::Deliver;
        }
        if let Some(fate) = lock(&self.script).pop_front() {
            return fate;
        }
        if !*lock(&self.lossy) {
            return Fate::Deliver;
        }
        match lock(&self.rng).gen_range(0..100) {
            0..50 => Fate::Deliver,
            50..60 => Fate::Drop,
            60..70 => Fate::LoseAnswer,
            70..80 => Fate::Duplicate,
            80..90 => Fate::Delay,
            _ => Fate::HoldBack,
        }
    }

    fn pause(&self, range: std::ops::Range<u64>) -> Duration {
        Duration::from_millis(lock(&self.rng).gen_range(range))
    }
}

/// One request as it will be sent on (again, for duplicates and held-back copies).
#[derive(Clone)]
struct Outgoing {
    method: reqwest::Method,
    url: String,
    headers: HeaderMap,
    body: Bytes,
}

impl Outgoing {
    async fn send(&self, http: &reqwest::Client) -> Response {
        let mut request = http.request(self.method.clone(), &self.url).body(self.body.clone());
        for (name, value) in &self.headers {
            if name != "host" && name != "content-length" && name != "connection" {
                request = request.header(name.as_str(), value.as_bytes());
            }
        }
        let Ok(answer) = request.send().await else {
            return (StatusCode::BAD_GATEWAY, "upstream did not answer").into_response();
        };
        let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
        let mut headers = HeaderMap::new();
        for (name, value) in answer.headers() {
            if let (Ok(name), Ok(value)) = (
                axum::http::HeaderName::from_bytes(name.as_str().as_bytes()),
                HeaderValue::from_bytes(value.as_bytes()),
            ) {
                headers.insert(name, value);
            }
        }
        let body = answer.bytes().await.unwrap_or_default();
        (status, headers, body).into_response()
    }
}

async fn forward(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    *lock(&shared.paths).entry(path.clone()).or_default() += 1;
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let query = parts.uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    let out = Outgoing {
        method: reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).unwrap(),
        url: format!("{}{path}{query}", shared.upstream),
        headers: parts.headers,
        body,
    };
    let fate = shared.fate(&path);
    *lock(&shared.fates).entry(fate).or_default() += 1;
    let mut answer = match fate {
        Fate::Deliver => out.send(&shared.http).await,
        Fate::Drop => (StatusCode::BAD_GATEWAY, "dropped on the way").into_response(),
        Fate::LoseAnswer => {
            let _ = out.send(&shared.http).await;
            (StatusCode::GATEWAY_TIMEOUT, "the answer was lost").into_response()
        }
        Fate::Duplicate => {
            let first = out.send(&shared.http).await;
            let _ = out.send(&shared.http).await;
            first
        }
        Fate::Delay => {
            tokio::time::sleep(shared.pause(0..150)).await;
            out.send(&shared.http).await
        }
        Fate::HoldBack | Fate::Stall => {
            let pause = shared.pause(150..400);
            let later = Arc::clone(&shared);
            let mut released = shared.released.subscribe();
            let task = tokio::spawn(async move {
                if fate == Fate::Stall {
                    let _ = released.wait_for(|released| *released).await;
                } else {
                    tokio::time::sleep(pause).await;
                }
                let _ = out.send(&later.http).await;
            });
            lock(&shared.held).push(task);
            (StatusCode::GATEWAY_TIMEOUT, "no answer in time").into_response()
        }
    };
    answer.headers_mut().insert("connection", HeaderValue::from_static("close"));
    answer
}

impl Drop for Network {
    fn drop(&mut self) {
        if let Some(task) = lock(&self.serving).take() {
            task.abort();
        }
    }
}
