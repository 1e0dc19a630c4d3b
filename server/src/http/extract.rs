//! Extractors: a JSON body with readable errors, the signed-in user, the client's address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use authdesk_contract::text::{sanitized, MAX_FREE_TEXT};
use authdesk_contract::{ErrorCode, CLIENT_NAME_HEADER};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{self, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use http_body_util::BodyExt as _;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::error::ApiError;
use super::state::AppState;
use super::MAX_BODY_BYTES;
use crate::auth::Context;
use crate::config::IpNet;
use crate::store::UserRecord;

/// A JSON request body. Unlike `axum::Json`, every failure is a JSON `detail` naming the field:
/// 415 for a non-JSON content type, 413 over the body limit (`LIMIT` bytes: [`MAX_BODY_BYTES`]
/// unless a route takes more), 422 for bad JSON or a wrong field.
pub struct ApiJson<T, const LIMIT: usize = MAX_BODY_BYTES>(pub T);

impl<S: Send + Sync, T: DeserializeOwned, const LIMIT: usize> FromRequest<S> for ApiJson<T, LIMIT> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        // Like the original (FastAPI), a missing Content-Type is read as JSON; a different one is refused.
        if let Some(content_type) = req.headers().get(CONTENT_TYPE) {
            let essence = content_type
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if !(essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))) {
                return Err(ApiError::UnsupportedMediaType("Content-Type must be application/json".into()));
            }
        }
        let bytes = body_within_limit(req.into_body(), LIMIT).await?;
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            None => return Err(ApiError::Unprocessable("Request body is required".into())),
            // Every body of this API is an object; serde would also take a struct from an array.
            Some(b'{') => {}
            Some(b'[' | b'"' | b'n' | b't' | b'f' | b'-' | b'0'..=b'9') => {
                return Err(ApiError::Unprocessable("Request body must be a JSON object".into()))
            }
            Some(_) => return Err(ApiError::Unprocessable("Request body is not valid JSON".into())),
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| ApiError::Unprocessable(describe(&e)))?;
        de.end().map_err(|_| ApiError::Unprocessable("Request body is not valid JSON".into()))?;
        Ok(ApiJson(value))
    }
}

/// How much of a body over the limit is still read (and dropped) before the 413: a client that
/// sent it whole then reads its answer, where a connection closed with unread data in it would
/// reach it as a reset. Beyond this the connection is closed with the 413 all the same.
const DRAIN_BYTES: usize = 1024 * 1024;

/// A request body of at most `limit` bytes; over it, 413 once the rest is drained (see
/// [`DRAIN_BYTES`]). The one place a body is read, for every extractor that reads one.
pub async fn body_within_limit(mut body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let unreadable = || ApiError::invalid("The request body could not be read");
    let mut read = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| unreadable())?.into_data() else { continue };
        seen += data.len();
        if seen <= limit {
            read.extend_from_slice(&data);
        } else if seen > limit + DRAIN_BYTES {
            break;
        }
    }
    if seen > limit {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    Ok(Bytes::from(read))
}

/// Turns a serde error into a sentence naming the field.
fn describe(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let inner = e.inner();
    if inner.is_syntax() || inner.is_eof() {
        return "Request body is not valid JSON".into();
    }
    // serde_json appends " at line L column C"; the field name says more to a person.
    let message = inner.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    let path = e.path().to_string();
    if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        return if path == "." {
            format!("Field '{field}' is required")
        } else {
            format!("Field '{path}.{field}' is required")
        };
    }
    if path == "." {
        return "Request body must be a JSON object".into();
    }
    if let Some((_, expected)) = message.split_once(", expected ") {
        let expected = match expected {
            "a string" => "a string",
            "a boolean" => "true or false",
            other => other,
        };
        return format!("Field '{path}' must be {expected}");
    }
    format!("Field '{path}' is invalid: {message}")
}

/// The token of an `Authorization: Bearer <token>` header, not yet checked. Rejections carry the
/// original design's details.
pub struct BearerToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let unauthorized = |detail: &str| ApiError::Unauthorized(ErrorCode::NotAuthenticated, detail.to_owned());
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| unauthorized("Authorization header required"))?;
        if header.is_empty() {
            return Err(unauthorized("Authorization header required"));
        }
        let value = header.to_str().map_err(|_| unauthorized("Invalid authorization format"))?;
        let mut words = value.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(scheme), Some(token), None) if scheme.eq_ignore_ascii_case("bearer") => Ok(Self(token.to_owned())),
            _ => Err(unauthorized("Invalid authorization format")),
        }
    }
}

/// The user a valid bearer token names, and the session it belongs to (none for the original
/// design's tokens).
pub struct CurrentUser {
    pub user: UserRecord,
    pub session_id: Option<Uuid>,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, state).await?;
        let (user, session_id) = state.auth.authenticate(&token).await?;
        Ok(CurrentUser { user, session_id })
    }
}

/// The request's origin for the audit log: the client's address and name, and the request id.
pub struct Ctx(pub Context);

impl FromRequestParts<AppState> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ip = client_ip(&parts.extensions, &parts.headers, &state.trusted_proxies);
        Ok(Ctx(Context {
            client_ip: (!ip.is_unspecified()).then(|| ip.to_string()),
            client: client_label(&parts.headers),
            request_id: parts.headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned),
        }))
    }
}

/// The name a new session is listed under: the client's own (`X-Client-Name`, which the desktop
/// app sends), else its User-Agent — plain and bounded (see `authdesk_contract::text`), since it is
/// kept with the session and in the audit log and shown to people.
pub fn client_label(headers: &HeaderMap) -> String {
    let named = |name: &str| {
        // Lossy rather than `to_str`, which refuses any byte past ASCII: a name like "Zoë's
        // laptop" is kept, and whatever a byte sequence decodes to is made plain below.
        let value = String::from_utf8_lossy(headers.get(name)?.as_bytes());
        Some(sanitized(&value, MAX_FREE_TEXT)).filter(|v| !v.is_empty())
    };
    named(CLIENT_NAME_HEADER).or_else(|| named(header::USER_AGENT.as_str())).unwrap_or_else(|| "Unknown client".into())
}

/// The header carrying the request id (set by `http::request_id`).
pub const REQUEST_ID: &str = "x-request-id";
/// The id a client gave its request, kept beside the server's (see `http::request_id`).
pub const CLIENT_REQUEST_ID: &str = "x-client-request-id";

/// The client's address: the TCP peer's, unless the peer is a trusted proxy; then the right-most
/// address of `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends the peer it
/// saw, so everything left of that is the client's to invent). In-process (embedded) calls have no
/// peer and share one key.
pub fn client_ip(extensions: &Extensions, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded = headers.get_all(FORWARDED_FOR).iter().flat_map(|v| v.to_str().unwrap_or_default().split(','));
    let mut client = peer;
    for hop in forwarded.collect::<Vec<_>>().into_iter().rev() {
        match parse_hop(hop) {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return ip,
            // Garbage where an address should be: believe no further than the proxy that passed it.
            None => return client,
        }
    }
    client
}

const FORWARDED_FOR: &str = "x-forwarded-for";

/// An `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.7:4711`, `[2001:db8::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|a| a.ip())).map(canonical)
}

/// An IPv4 address mapped into IPv6 (a dual-stack listener's view) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(peer: &str, forwarded: &[&str], trusted: &str) -> String {
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 4000)));
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append(FORWARDED_FOR, value.parse().unwrap());
        }
        let trusted = crate::config::parse_trusted_proxies(trusted).unwrap();
        client_ip(&extensions, &headers, &trusted).to_string()
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        // No trusted proxies: the header is anyone's to write.
        assert_eq!(seen("198.51.100.1", &["203.0.113.7"], ""), "198.51.100.1");
        // The peer is not trusted: same.
        assert_eq!(seen("198.51.100.1", &["203.0.113.7"], "10.0.0.0/8"), "198.51.100.1");
        // A trusted proxy: the address it appended.
        assert_eq!(seen("10.0.0.2", &["203.0.113.7"], "10.0.0.0/8"), "203.0.113.7");
        // The client prepended a fake: the right-most untrusted entry wins, across headers too.
        assert_eq!(seen("10.0.0.2", &["1.2.3.4, 203.0.113.7"], "10.0.0.0/8"), "203.0.113.7");
        assert_eq!(seen("10.0.0.2", &["1.2.3.4", "203.0.113.7, 10.0.0.9"], "10.0.0.0/8"), "203.0.113.7");
        // Ports, IPv6 in brackets, IPv4-mapped peers.
        assert_eq!(seen("10.0.0.2", &["203.0.113.7:4711"], "10.0.0.0/8"), "203.0.113.7");
        assert_eq!(seen("::ffff:10.0.0.2", &["[2001:db8::1]:80"], "10.0.0.0/8"), "2001:db8::1");
        // Garbage, or only proxies: no further than the last trusted hop.
        assert_eq!(seen("10.0.0.2", &["evil, 10.0.0.3"], "10.0.0.0/8"), "10.0.0.3");
        assert_eq!(seen("10.0.0.2", &["10.0.0.3"], "10.0.0.0/8"), "10.0.0.3");
        assert_eq!(seen("10.0.0.2", &[], "10.0.0.0/8"), "10.0.0.2");
    }
}
