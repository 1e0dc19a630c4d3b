//! The one error a shell command fails with: a kind the UI can branch on and a sentence a person
//! understands (the server's `detail` whenever there is one).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No session, or the server refused it (and a refresh did not help): the UI goes back to
    /// sign in.
    Unauthorized,
    /// 429: `retry_after` says when to try again.
    RateLimited,
    /// The remote server did not answer ("Cannot reach <url>").
    Unreachable,
    /// The request was refused (any other 4xx, or a wrong password re-checked by the server);
    /// `message` says why.
    Rejected,
    /// 5xx or an unreadable answer.
    Server,
    /// A bad setting (e.g. an `http://` URL that is not loopback) or a local failure.
    Local,
    /// Signing out would lose changes the server has not received yet: the UI asks whether to
    /// discard them (`Logout { discard_waiting: true }`).
    ChangesWaiting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    /// Seconds to wait, for [`ErrorKind::RateLimited`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The HTTP status, when the server answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), retry_after: None, status: None }
    }

    pub fn local(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Local, message)
    }

    /// Refused before it was sent (the UI checks what the server would refuse) or after.
    pub fn rejected(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Rejected, message)
    }

    pub fn is_unauthorized(&self) -> bool {
        self.kind == ErrorKind::Unauthorized
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        CommandError::local(format!("Local storage failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_the_ui_reads_it() {
        let limited = CommandError {
            retry_after: Some(30),
            status: Some(429),
            ..CommandError::new(ErrorKind::RateLimited, "Slow down")
        };
        let json = serde_json::to_value(&limited).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "rate_limited", "message": "Slow down", "retry_after": 30, "status": 429})
        );
        assert_eq!(serde_json::from_value::<CommandError>(json).unwrap(), limited);
        let bare = serde_json::json!({"kind": "local", "message": "x"});
        assert_eq!(serde_json::from_value::<CommandError>(bare).unwrap(), CommandError::local("x"));
    }
}
