//! The one error a shell command fails with: a kind the UI can branch on and a sentence a person
//! understands (the server's `detail` whenever there is one).

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

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
    /// The server's error code, when it answered with one: what a program decides on (the
    /// message is for people, and may be reworded or translated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    /// The server that did not answer, for [`ErrorKind::Unreachable`] (the UI words the sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
}

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), retry_after: None, status: None, code: None, server: None }
    }

    /// `server` did not answer.
    pub fn unreachable(server: &str) -> Self {
        Self { server: Some(server.to_owned()), ..Self::new(ErrorKind::Unreachable, format!("Cannot reach {server}")) }
    }

    /// A refusal the shell words itself, with the code the server would have sent for it.
    pub fn with_code(self, code: ErrorCode) -> Self {
        Self { code: Some(code), ..self }
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

    /// Whether the server refused with `code`. A server older than error codes sends none: its
    /// answer is judged by the status it used for that refusal, for the few codes whose status
    /// says it alone.
    pub fn is(&self, code: ErrorCode) -> bool {
        match self.code {
            Some(sent) => sent == code,
            None => self.status.is_some() && self.status == legacy_status(code),
        }
    }
}

/// The status that meant `code` before codes were sent, where it meant nothing else.
fn legacy_status(code: ErrorCode) -> Option<u16> {
    match code {
        ErrorCode::NotFound => Some(404),
        ErrorCode::Conflict => Some(409),
        ErrorCode::CursorExpired => Some(410),
        ErrorCode::VersionConflict => Some(412),
        ErrorCode::MethodNotAllowed => Some(405),
        _ => None,
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
            code: Some(ErrorCode::RateLimited),
            ..CommandError::new(ErrorKind::RateLimited, "Slow down")
        };
        let json = serde_json::to_value(&limited).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "rate_limited", "message": "Slow down", "retry_after": 30, "status": 429, "code": "rate_limited"})
        );
        assert_eq!(serde_json::from_value::<CommandError>(json).unwrap(), limited);
        let bare = serde_json::json!({"kind": "local", "message": "x"});
        assert_eq!(serde_json::from_value::<CommandError>(bare).unwrap(), CommandError::local("x"));
    }

    #[test]
    fn codes_decide_and_a_code_less_answer_falls_back_to_its_status() {
        let refused = |status, code| CommandError { status: Some(status), code, ..CommandError::rejected("x") };
        assert!(refused(404, Some(ErrorCode::NotFound)).is(ErrorCode::NotFound));
        assert!(!refused(409, Some(ErrorCode::EmailTaken)).is(ErrorCode::Conflict));
        assert!(refused(409, None).is(ErrorCode::Conflict), "an older server's 409");
        assert!(!refused(401, None).is(ErrorCode::WrongPassword), "401 alone says nothing");
        assert!(!CommandError::local("x").is(ErrorCode::NotFound));
    }
}
