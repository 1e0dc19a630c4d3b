//! `X-Request-Id`: every request gets one the server generates, every response carries it back,
//! and every log line and audit event of the request names it. A client's own id (well-formed)
//! is kept beside it as `X-Client-Request-Id` — in the logs and echoed back — never in its place,
//! so no client can make its request's id collide with another's.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use tower_http::propagate_header::PropagateHeaderLayer;

use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use uuid::Uuid;

use super::extract::{CLIENT_REQUEST_ID, REQUEST_ID};

/// An id a client may choose: 1 to 64 letters, digits, `-`, `_`, `.` (a UUID, a trace id), so
/// nothing odd reaches the logs or the audit log.
fn well_formed(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Moves a well-formed `X-Request-Id` to `X-Client-Request-Id` (dropping one a client sent under
/// that name), so [`set`] always generates the request's own id.
pub fn sanitize(mut request: Request) -> Request {
    let headers = request.headers_mut();
    headers.remove(CLIENT_REQUEST_ID);
    let mut values = headers.get_all(REQUEST_ID).iter();
    let clients = match (values.next(), values.next()) {
        (Some(only), None) if well_formed(only) => Some(only.clone()),
        _ => None,
    };
    headers.remove(REQUEST_ID);
    if let Some(id) = clients {
        headers.insert(CLIENT_REQUEST_ID, id);
    }
    request
}

/// New ids: this process's random half and a counter, as a UUID. Unique across instances (the
/// random half) without asking the OS for randomness on every request, as a v4 UUID would.
#[derive(Clone, Copy, Default)]
pub struct MakeId;

static PROCESS: LazyLock<u64> = LazyLock::new(rand::random);
static NEXT: AtomicU64 = AtomicU64::new(0);

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = Uuid::from_u64_pair(*PROCESS, NEXT.fetch_add(1, Ordering::Relaxed));
        HeaderValue::from_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer())).ok().map(RequestId::new)
    }
}

pub fn set() -> SetRequestIdLayer<MakeId> {
    SetRequestIdLayer::x_request_id(MakeId)
}

pub fn propagate() -> PropagateRequestIdLayer {
    PropagateRequestIdLayer::x_request_id()
}

/// Echoes the client's own id, when it sent one.
pub fn propagate_clients() -> PropagateHeaderLayer {
    PropagateHeaderLayer::new(HeaderName::from_static(CLIENT_REQUEST_ID))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_ids_are_kept() {
        for ok in ["abc", "3f1c2a7e-0b1d-4c55-9a8e-0d6f1b2c3d4e", "trace_01.a"] {
            assert!(well_formed(&HeaderValue::from_static(ok)), "{ok}");
        }
        let long = "a".repeat(65);
        for bad in ["", "a b", "x\u{7f}", "<script>", long.as_str(), "id;drop"] {
            assert!(!HeaderValue::from_str(bad).map(|v| well_formed(&v)).unwrap_or(false), "{bad}");
        }
    }
}
