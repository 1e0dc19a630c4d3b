//! How requests reach the server: the embedded server's router called in this process, or HTTP(S)
//! to a remote one; and how an answer becomes a value or a [`CommandError`].

use std::time::Duration;

use authdesk_contract::desktop::{CommandError, ErrorKind};
use authdesk_contract::{ErrorBody, ErrorCode, CLIENT_NAME_HEADER};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::ServiceExt;

use super::Client;
use crate::Result;

/// The largest answer read, from either transport: the biggest the server sends is a feed page
/// (at most 1,000 tasks), far below it.
pub(super) const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// How long a request to a remote server may take, connecting included.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// "authdesk desktop (<hostname>)", or the OS when the hostname is unknown: the label the
/// sessions list shows for this app.
pub fn client_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().chars().filter(|c| !c.is_control()).take(64).collect::<String>())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    format!("authdesk desktop ({host})")
}

/// How requests reach the server.
#[derive(Clone)]
pub(super) enum Transport {
    /// The embedded server's router, called in this process.
    InProcess(axum::Router),
    /// HTTPS (or HTTP on loopback) to a remote server.
    Http { base: String, http: reqwest::Client },
}

/// How long a remote request may take, and how large its answer may be.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub timeout: Duration,
    pub max_bytes: usize,
}

/// What came back over either transport, before it is read as a success or an error.
pub(super) struct Answer {
    pub status: StatusCode,
    pub retry_after: Option<u64>,
    pub body: Vec<u8>,
}

impl Client {
    pub(super) async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Result<Answer> {
        self.send_with(method, path, token, body, REQUEST_TIMEOUT, None).await
    }

    /// Sends a request, with one more header if given (e.g. `If-Match`); `timeout` bounds a
    /// remote one (the embedded server cannot lose an answer).
    pub(super) async fn send_with<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
        timeout: Duration,
        extra: Option<(header::HeaderName, String)>,
    ) -> Result<Answer> {
        let limits = Limits { timeout, max_bytes: MAX_RESPONSE_BYTES };
        self.send_within(method, path, token, body, limits, extra).await
    }

    /// [`Client::send_with`] with its own bound on the answer's size (an account's export).
    pub(super) async fn send_within<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
        Limits { timeout, max_bytes }: Limits,
        extra: Option<(header::HeaderName, String)>,
    ) -> Result<Answer> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| CommandError::local(format!("Cannot encode the request: {e}")))?;
        match &self.transport {
            Transport::InProcess(router) => {
                let mut request = Request::builder().method(method).uri(path).header(CLIENT_NAME_HEADER, client_name());
                if let Some(token) = token {
                    request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                if body.is_some() {
                    request = request.header(header::CONTENT_TYPE, "application/json");
                }
                if let Some((name, value)) = &extra {
                    request = request.header(name, value);
                }
                let request = request
                    .body(body.map_or_else(Body::empty, Body::from))
                    .map_err(|e| CommandError::local(format!("Cannot build the request: {e}")))?;
                let response = match router.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                let status = response.status();
                let retry_after = retry_after(response.headers().get(header::RETRY_AFTER));
                let body = axum::body::to_bytes(response.into_body(), max_bytes)
                    .await
                    .map_err(|e| CommandError::new(ErrorKind::Server, format!("Cannot read the answer: {e}")))?;
                Ok(Answer { status, retry_after, body: body.to_vec() })
            }
            Transport::Http { base, http } => {
                let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).expect("a standard method");
                let mut request = http
                    .request(method, format!("{base}{path}"))
                    .timeout(timeout)
                    .header(CLIENT_NAME_HEADER, client_name());
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                if let Some(body) = body {
                    request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
                }
                if let Some((name, value)) = &extra {
                    request = request.header(name.as_str(), value);
                }
                let unreachable = |_| CommandError::unreachable(base);
                let response = request.send().await.map_err(unreachable)?;
                let status = StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
                if status.is_redirection() {
                    return Err(redirect_refused(status, response.headers().get(reqwest::header::LOCATION)));
                }
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok());
                let body = body_within(response, base, max_bytes).await?;
                Ok(Answer { status, retry_after, body })
            }
        }
    }
}

/// A remote answer's body, read up to `max_bytes` ([`MAX_RESPONSE_BYTES`] for all but an export):
/// a hostile or mistyped server cannot run the app out of memory, whatever it claims or streams.
async fn body_within(mut response: reqwest::Response, base: &str, max_bytes: usize) -> Result<Vec<u8>> {
    let too_big = || {
        CommandError::new(
            ErrorKind::Server,
            format!("The server at {base} sent an answer over {} MiB; authdesk stopped reading it.", max_bytes >> 20),
        )
    };
    if response.content_length().is_some_and(|n| n > max_bytes as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    loop {
        let chunk = response.chunk().await.map_err(|_| CommandError::unreachable(base))?;
        let Some(chunk) = chunk else { return Ok(body) };
        if body.len() + chunk.len() > max_bytes {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
}

fn retry_after(value: Option<&axum::http::HeaderValue>) -> Option<u64> {
    value.and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok())
}

pub(super) fn no_content(answer: Answer) -> Result<()> {
    if answer.status.is_success() {
        Ok(())
    } else {
        Err(error_from(&answer))
    }
}

pub(super) fn read<T: DeserializeOwned>(answer: Answer) -> Result<T> {
    if !answer.status.is_success() {
        return Err(error_from(&answer));
    }
    read_body(&answer)
}

/// The answer's JSON body, whatever its status.
pub(super) fn read_body<T: DeserializeOwned>(answer: &Answer) -> Result<T> {
    serde_json::from_slice(&answer.body).map_err(|e| {
        CommandError::new(ErrorKind::Server, format!("The server sent an answer this app does not understand ({e})"))
    })
}

/// A 3xx from a remote server: it is not followed (see [`Client::remote`]), and the user is told
/// where it pointed so the setting can name that address.
fn redirect_refused(status: StatusCode, location: Option<&axum::http::HeaderValue>) -> CommandError {
    let to = location.and_then(|l| l.to_str().ok()).unwrap_or("another address");
    CommandError {
        status: Some(status.as_u16()),
        ..CommandError::local(format!(
            "The server answered with a redirect to {to}; authdesk does not follow redirects. \
             Use the final address in Settings."
        ))
    }
}

/// Maps a non-2xx answer to a [`CommandError`] carrying the server's `detail` and `code`. The
/// kind is decided by the status and the code, never by the sentence: a 401 for a password or a
/// code typed wrong is the user's mistake to show ([`ErrorKind::Rejected`]), not a refused
/// session.
pub(super) fn error_from(answer: &Answer) -> CommandError {
    let (detail, code) = match serde_json::from_slice::<ErrorBody>(&answer.body) {
        Ok(body) => (body.detail, (body.code != ErrorCode::Unknown).then_some(body.code)),
        Err(_) => (format!("The server answered {}", answer.status), None),
    };
    let kind = match (answer.status, code) {
        (StatusCode::UNAUTHORIZED, Some(ErrorCode::WrongPassword | ErrorCode::InvalidCode)) => ErrorKind::Rejected,
        (StatusCode::UNAUTHORIZED, _) => ErrorKind::Unauthorized,
        (StatusCode::TOO_MANY_REQUESTS, _) => ErrorKind::RateLimited,
        (s, _) if s.is_client_error() => ErrorKind::Rejected,
        _ => ErrorKind::Server,
    };
    CommandError {
        kind,
        message: detail,
        retry_after: answer.retry_after,
        status: Some(answer.status.as_u16()),
        code,
        server: None,
    }
}
