//! The one error type the shell hands to the webview: a kind the UI can branch on and a sentence
//! a person understands (the server's `detail` whenever there is one).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 401 from a protected call, or no session at all: the UI goes back to sign in.
    Unauthorized,
    /// 429: `retry_after` says when to try again.
    RateLimited,
    /// The remote server did not answer ("Cannot reach <url>").
    Unreachable,
    /// Any other 4xx: the request was refused; `message` is the server's detail.
    Rejected,
    /// 5xx or an unreadable answer.
    Server,
    /// A bad setting (e.g. an `http://` URL that is not loopback) or a local failure.
    Local,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// Seconds to wait, for [`ErrorKind::RateLimited`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The HTTP status, when the server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), retry_after: None, status: None }
    }

    pub fn local(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Local, message)
    }

    pub fn session_expired() -> Self {
        Self::new(ErrorKind::Unauthorized, SESSION_EXPIRED)
    }

    pub fn is_unauthorized(&self) -> bool {
        self.kind == ErrorKind::Unauthorized
    }
}

/// What the UI shows on the sign-in screen after a 401 from a protected call.
pub const SESSION_EXPIRED: &str = "Your session has expired — please sign in again";

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::local(format!("Local storage failed: {e}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
