//! `GET /api/tasks/events`, read as it comes: the sync loop holds it open and pulls the feed as
//! soon as an event says another device wrote. Only the event boundaries are read (no task data
//! travels on it), with a bound on what is buffered and on how long the line may stay silent.

use std::pin::Pin;
use std::time::Duration;

use authdesk_contract::desktop::{CommandError, ErrorKind};
use authdesk_contract::CLIENT_NAME_HEADER;
use axum::body::{Body, HttpBody};
use axum::http::{header, Method, Request};
use tower::ServiceExt;

use super::transport::{client_name, error_from, Answer, Transport};
use super::Client;
use crate::Result;

/// An event block longer than this is not an authdesk server's.
const MAX_BLOCK: usize = 64 * 1024;

/// An open event stream.
pub struct TaskEvents {
    source: Source,
    buffer: Vec<u8>,
    describe: String,
}

enum Source {
    InProcess(Body),
    Http(reqwest::Response),
}

impl Client {
    /// Opens the live change stream. A refusal is an error as for any request (a 401 is the
    /// caller's to refresh); a server without the stream answers 404/405.
    pub async fn task_events(&self, token: &str) -> Result<TaskEvents> {
        let describe = self.describe();
        let source = match &self.transport {
            Transport::InProcess(router) => {
                let request = Request::builder()
                    .method(Method::GET)
                    .uri("/api/tasks/events")
                    .header(CLIENT_NAME_HEADER, client_name())
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .map_err(|e| CommandError::local(format!("Cannot build the request: {e}")))?;
                let response = match router.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                let status = response.status();
                if !status.is_success() {
                    let body = axum::body::to_bytes(response.into_body(), MAX_BLOCK).await.unwrap_or_default();
                    return Err(error_from(&Answer { status, retry_after: None, body: body.to_vec() }));
                }
                Source::InProcess(response.into_body())
            }
            Transport::Http { base, http } => {
                let unreachable = |_| CommandError::unreachable(base);
                let response = http
                    .get(format!("{base}/api/tasks/events"))
                    .header(CLIENT_NAME_HEADER, client_name())
                    .header(reqwest::header::ACCEPT, "text/event-stream")
                    .bearer_auth(token)
                    .send()
                    .await
                    .map_err(unreachable)?;
                let status = axum::http::StatusCode::from_u16(response.status().as_u16())
                    .unwrap_or(axum::http::StatusCode::BAD_GATEWAY);
                if !status.is_success() {
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse().ok());
                    let body = response.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                    return Err(error_from(&Answer { status, retry_after, body }));
                }
                Source::Http(response)
            }
        };
        Ok(TaskEvents { source, buffer: Vec::new(), describe })
    }
}

impl TaskEvents {
    /// Waits for the next event: `Ok(true)` an event came, `Ok(false)` the server ended the stream
    /// (e.g. the token expired). Silence longer than `idle` (the server comments every 15 s) is
    /// [`ErrorKind::Unreachable`]: the line is dead, or a proxy buffers it.
    pub async fn next(&mut self, idle: Duration) -> Result<bool> {
        loop {
            if let Some(event) = self.take_block() {
                if event {
                    return Ok(true);
                }
                continue;
            }
            let chunk = match tokio::time::timeout(idle, self.chunk()).await {
                Ok(chunk) => chunk?,
                Err(_) => return Err(self.lost()),
            };
            let Some(chunk) = chunk else { return Ok(false) };
            self.buffer.extend_from_slice(&chunk);
            if self.buffer.len() > MAX_BLOCK {
                return Err(CommandError::new(ErrorKind::Server, format!("{} sent an event too long", self.describe)));
            }
        }
    }

    /// The next whole block in the buffer, if any: whether it carries data (an event) or not (a
    /// comment).
    fn take_block(&mut self) -> Option<bool> {
        let text = &self.buffer;
        let end = text.windows(2).position(|w| w == b"\n\n")?;
        let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
        let block = String::from_utf8_lossy(&block).replace('\r', "");
        Some(block.lines().any(|line| line.starts_with("data:")))
    }

    async fn chunk(&mut self) -> Result<Option<Vec<u8>>> {
        match &mut self.source {
            Source::Http(response) => response.chunk().await.map(|c| c.map(|c| c.to_vec())).map_err(|_| self_lost()),
            Source::InProcess(body) => loop {
                match std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await {
                    None => return Ok(None),
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            return Ok(Some(data.to_vec()));
                        }
                    }
                    Some(Err(_)) => return Err(self_lost()),
                }
            },
        }
    }

    fn lost(&self) -> CommandError {
        CommandError::new(ErrorKind::Unreachable, format!("The live updates from {} stopped", self.describe))
    }
}

fn self_lost() -> CommandError {
    CommandError::new(ErrorKind::Unreachable, "The live updates stopped")
}
