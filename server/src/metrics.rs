//! Prometheus metrics, served on a listener of their own (`--metrics-bind`): HTTP requests by route
//! template and status, their latency and how many are in flight; auth events by type and outcome
//! (lockouts and refresh reuse among them); limit refusals by scope; the password hashing queue; the
//! database pool. No label ever holds a user id or an email, or any value a client chooses: each
//! comes from a fixed set (methods outside the standard ones are `other`).
//!
//! The counters are process-wide (one server per process); the gauges are read at each scrape
//! by a function the application gives ([`router`]), so this module knows nothing above it.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{LazyLock, PoisonError, RwLock};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use tower::{Layer, Service};

type Labels = Vec<(&'static str, String)>;

/// A request's labels for its latency: nothing in them is allocated per request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: &'static str,
}

/// A request's labels for the count, with its status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    method: &'static str,
    route: &'static str,
    status: u16,
}

/// 1 ms to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

struct Metrics {
    registry: Registry,
    http_requests: Family<StatusLabels, Counter>,
    http_duration: Family<RouteLabels, Histogram, fn() -> Histogram>,
    http_in_flight: Gauge,
    auth_events: Family<Labels, Counter>,
    limited: Family<Labels, Counter>,
    hash_wait: Histogram,
    hash_in_use: Gauge,
    hash_waiting: Gauge,
    db_size: Gauge,
    db_in_use: Gauge,
    db_waiting: Gauge,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("authdesk");
    let m = Metrics {
        http_requests: Family::default(),
        http_duration: Family::new_with_constructor(latency_histogram),
        http_in_flight: Gauge::default(),
        auth_events: Family::default(),
        limited: Family::default(),
        hash_wait: latency_histogram(),
        hash_in_use: Gauge::default(),
        hash_waiting: Gauge::default(),
        db_size: Gauge::default(),
        db_in_use: Gauge::default(),
        db_waiting: Gauge::default(),
        registry: Registry::default(),
    };
    registry.register("http_requests", "HTTP requests by method, route template and status", m.http_requests.clone());
    registry.register(
        "http_request_duration_seconds",
        "HTTP request latency by method and route",
        m.http_duration.clone(),
    );
    registry.register("http_requests_in_flight", "HTTP requests being handled", m.http_in_flight.clone());
    registry.register("auth_events", "Audited auth events by type and outcome", m.auth_events.clone());
    registry.register(
        "rate_limited",
        "Requests refused by a limit, by scope (login-failure is the lockout)",
        m.limited.clone(),
    );
    registry.register("hash_wait_seconds", "Time a password hash waited for a slot", m.hash_wait.clone());
    registry.register("hash_slots_in_use", "Password hashes running", m.hash_in_use.clone());
    registry.register("hash_queue_waiting", "Password hashes waiting for a slot", m.hash_waiting.clone());
    registry.register("db_pool_size", "Database connections", m.db_size.clone());
    registry.register("db_pool_in_use", "Database connections in use", m.db_in_use.clone());
    registry.register("db_pool_waiting", "Requests waiting for a database connection", m.db_waiting.clone());
    Metrics { registry, ..m }
});

/// `value` when it is one of `known`, else `other`: every label value comes from a fixed set, so
/// no outsider can add a series (each one is kept for good).
fn one_of(value: &str, known: &[&'static str]) -> &'static str {
    known.iter().find(|k| **k == value).copied().unwrap_or("other")
}

/// The standard methods by name; anything a client invents is `other`.
fn method_label(method: &axum::http::Method) -> &'static str {
    const STANDARD: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];
    one_of(method.as_str(), STANDARD)
}

/// The route template the router matched, as a label: each template is kept once, for good —
/// they are the router's own, a fixed set, never a path as a client sent it.
fn route_label(matched: Option<&MatchedPath>) -> &'static str {
    static ROUTES: LazyLock<RwLock<HashSet<&'static str>>> = LazyLock::new(RwLock::default);
    let Some(route) = matched.map(MatchedPath::as_str) else { return "unmatched" };
    if let Some(known) = ROUTES.read().unwrap_or_else(PoisonError::into_inner).get(route) {
        return known;
    }
    let mut routes = ROUTES.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = routes.get(route) {
        return known;
    }
    let kept: &'static str = Box::leak(route.into());
    routes.insert(kept);
    kept
}

/// An audited event happened (counted as it is written).
pub fn auth_event(kind: &str, outcome: &str) {
    let labels = vec![
        ("type", one_of(kind, authdesk_contract::audit::kind::ALL).to_owned()),
        ("outcome", one_of(outcome, &["success", "failure"]).to_owned()),
    ];
    METRICS.auth_events.get_or_create(&labels).inc();
}

/// A limit refused a request; `scope` is one of the limits' own names.
pub fn limited(scope: &'static str) {
    METRICS.limited.get_or_create(&vec![("scope", scope.to_owned())]).inc();
}

/// A password hash waited this long for its slot.
pub fn hash_waited(wait: Duration) {
    METRICS.hash_wait.observe(wait.as_secs_f64());
}

/// What the gauges read at a scrape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gauges {
    pub hash_in_use: usize,
    pub hash_waiting: usize,
    pub db_size: usize,
    pub db_in_use: usize,
    pub db_waiting: usize,
}

/// The metrics in the text exposition format, with the gauges as given.
pub fn render(gauges: Gauges) -> String {
    let m = &*METRICS;
    let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    m.hash_in_use.set(gauge(gauges.hash_in_use));
    m.hash_waiting.set(gauge(gauges.hash_waiting));
    m.db_size.set(gauge(gauges.db_size));
    m.db_in_use.set(gauge(gauges.db_in_use));
    m.db_waiting.set(gauge(gauges.db_waiting));
    let mut text = String::new();
    encode(&mut text, &m.registry).expect("writing to a String cannot fail");
    text
}

/// The metrics listener's router: `GET /metrics` and nothing else, the gauges read by `gauges`.
pub fn router(gauges: impl Fn() -> Gauges + Clone + Send + Sync + 'static) -> axum::Router {
    use axum::http::header::CONTENT_TYPE;
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let text = render(gauges());
            async move { ([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text) }
        }),
    )
}

/// One request in flight, until dropped (answered, or abandoned by a timeout or the client).
struct InFlight;

impl InFlight {
    fn enter() -> Self {
        METRICS.http_in_flight.inc();
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        METRICS.http_in_flight.dec();
    }
}

/// Counts and times every request of the routes it wraps (`Router::route_layer`, where the route
/// template is known).
#[derive(Clone, Copy, Default)]
pub struct HttpMetricsLayer;

impl<S> Layer<S> for HttpMetricsLayer {
    type Service = HttpMetrics<S>;
    fn layer(&self, inner: S) -> Self::Service {
        HttpMetrics { inner }
    }
}

#[derive(Clone)]
pub struct HttpMetrics<S> {
    inner: S,
}

impl<S> Service<Request> for HttpMetrics<S>
where
    S: Service<Request, Response = Response> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let route = route_label(request.extensions().get::<MatchedPath>());
        let method = method_label(request.method());
        let started = Instant::now();
        let m = &*METRICS;
        let in_flight = InFlight::enter();
        let response = self.inner.call(request);
        Box::pin(async move {
            let result = response.await;
            drop(in_flight);
            // (A service error never reaches a client as an answer: counted as the 500 it is.)
            let status = result.as_ref().map_or(500, |r| r.status().as_u16());
            m.http_duration.get_or_create(&RouteLabels { method, route }).observe(started.elapsed().as_secs_f64());
            m.http_requests.get_or_create(&StatusLabels { method, route, status }).inc();
            result
        })
    }
}
