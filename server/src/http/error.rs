//! The one error type of the HTTP layer, and the one place it becomes a response.

use std::time::Duration;

use authdesk_contract::{ErrorBody, MfaRequiredBody, StaleTaskBody, Task, MFA_METHODS};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::auth::AuthError;
use crate::rate_limit::LimitError;
use crate::store::StoreError;
use crate::tasks::TaskError;

/// A task's `ETag`: its version, quoted.
pub fn etag(version: i64) -> [(header::HeaderName, HeaderValue); 1] {
    [(header::ETAG, HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header value"))]
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    /// Sent with `WWW-Authenticate: Bearer`.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unprocessable(String),
    /// `noun` names what was counted ("login attempts").
    #[error("too many {noun}")]
    TooManyRequests { noun: &'static str, retry_after: Duration },
    #[error("{0}")]
    Unavailable(String),
    /// The password was right and the account asks for its second factor: 401 with the challenge.
    #[error("Two-factor code required")]
    MfaRequired { mfa_token: String },
    /// The password hasher's queue is full: 503 with `Retry-After`, at once.
    #[error("The server is busy. Please try again in a moment.")]
    Busy { retry_after: Duration },
    /// A sync cursor past the tombstone window: 410.
    #[error("{0}")]
    Gone(String),
    /// A conditional update of a task that has changed: 412 with the task as it is.
    #[error("The task has changed since that version")]
    Stale(Box<Task>),
    /// A bug or an unexpected database error: logged in full, reported to the client in general terms.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<TaskError> for ApiError {
    fn from(e: TaskError) -> Self {
        match e {
            TaskError::NotFound => ApiError::NotFound(e.to_string()),
            TaskError::IdTaken => ApiError::Conflict(e.to_string()),
            TaskError::Stale(task) => ApiError::Stale(task),
            TaskError::CursorExpired => ApiError::Gone(e.to_string()),
            TaskError::InvalidCursor => ApiError::BadRequest(e.to_string()),
            TaskError::InvalidTitle(detail) => ApiError::Unprocessable(detail.into()),
            TaskError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => ApiError::Conflict("The resource already exists".into()),
            // Writes only refer to the caller's own account: it was deleted while the request ran,
            // so the token no longer names anyone (what the next request would hear anyway).
            StoreError::Gone => ApiError::Unauthorized(crate::auth::TokenError::Invalid.detail()),
            StoreError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                ApiError::Unavailable("The database is temporarily unavailable. Please try again shortly.".into())
            }
            StoreError::Other(reason) => ApiError::Internal(reason),
        }
    }
}

/// Every auth failure's status and sentence: the original design's wording where it had one.
impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let unauthorized = |detail: &str| ApiError::Unauthorized(detail.into());
        match e {
            AuthError::InvalidEmail(e) => ApiError::BadRequest(e.message().into()),
            AuthError::WeakPassword(rule) => ApiError::BadRequest(rule.message().into()),
            AuthError::BreachedPassword => {
                ApiError::BadRequest("This password has appeared in a data breach; choose another".into())
            }
            AuthError::EmailTaken => ApiError::Conflict("Email already registered".into()),
            AuthError::BadCredentials => unauthorized("Invalid email or password"),
            AuthError::Limited { noun, retry_after } => ApiError::TooManyRequests { noun, retry_after },
            AuthError::Busy { retry_after } => ApiError::Busy { retry_after },
            AuthError::WrongCurrentPassword => unauthorized("Current password is incorrect"),
            AuthError::WrongPassword => unauthorized("Password is incorrect"),
            AuthError::Token(e) => ApiError::Unauthorized(e.detail()),
            AuthError::UnknownRefreshToken => unauthorized("Invalid refresh token"),
            AuthError::RefreshTokenExpired => unauthorized("Refresh token expired. Please sign in again."),
            AuthError::SessionSignedOut => unauthorized("This session has been signed out. Please sign in again."),
            AuthError::RefreshTokenReused => unauthorized(
                "Refresh token was already used. The session has been signed out for safety; please sign in again.",
            ),
            AuthError::SessionNotFound => ApiError::NotFound("Session not found".into()),
            AuthError::MfaRequired { mfa_token } => ApiError::MfaRequired { mfa_token },
            AuthError::CodeRejected => ApiError::BadRequest("Invalid code".into()),
            AuthError::SecondFactorRejected => unauthorized("Invalid code"),
            AuthError::MfaExpired => unauthorized("Sign-in expired, please sign in again"),
            AuthError::MfaAlreadyOn => ApiError::Conflict("Two-factor authentication is already on".into()),
            AuthError::MfaOff => ApiError::BadRequest("Two-factor authentication is off".into()),
            AuthError::TotpNotSetUp => ApiError::BadRequest("Set up two-factor authentication first".into()),
            AuthError::ResetCodeRejected => ApiError::BadRequest("Invalid or expired code".into()),
            AuthError::AccountDisabled => ApiError::Forbidden("This account is disabled".into()),
            AuthError::AdminRequired => ApiError::Forbidden("Administrator access required".into()),
            AuthError::UserNotFound => ApiError::NotFound("User not found".into()),
            AuthError::SelfAdministration(what) => ApiError::BadRequest(format!("You cannot {what}")),
            AuthError::Store(e) => e.into(),
        }
    }
}

impl From<LimitError> for ApiError {
    fn from(e: LimitError) -> Self {
        AuthError::from(e).into()
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) | ApiError::MfaRequired { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::Stale(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::PayloadTooLarge => "Request body is too large (the limit is 64 KiB)".into(),
            ApiError::TooManyRequests { noun, retry_after } => {
                let secs = retry_secs(*retry_after);
                format!("Too many {noun}. Try again in {secs} second{}.", if secs == 1 { "" } else { "s" })
            }
            ApiError::Internal(_) => "Internal server error".into(),
            other => other.to_string(),
        }
    }
}

/// Whole seconds, rounded up, never zero: a client that waits this long will be let in.
fn retry_secs(wait: Duration) -> u64 {
    (wait.as_millis().div_ceil(1000) as u64).max(1)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(reason) = &self {
            tracing::error!(%reason, "request failed");
        }
        let mut response = match &self {
            // The original `detail`, plus what a client that knows the second factor needs.
            ApiError::MfaRequired { mfa_token } => {
                let body = MfaRequiredBody {
                    detail: self.detail(),
                    mfa_required: true,
                    mfa_token: mfa_token.clone(),
                    methods: MFA_METHODS.iter().map(|m| m.to_string()).collect(),
                };
                (self.status(), Json(body)).into_response()
            }
            ApiError::Stale(task) => {
                let body = StaleTaskBody { detail: self.detail(), task: (**task).clone() };
                (self.status(), etag(task.version), Json(body)).into_response()
            }
            _ => (self.status(), Json(ErrorBody { detail: self.detail() })).into_response(),
        };
        let headers = response.headers_mut();
        match &self {
            ApiError::Unauthorized(_) | ApiError::MfaRequired { .. } => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::TooManyRequests { retry_after, .. } | ApiError::Busy { retry_after } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_secs(*retry_after)));
            }
            _ => {}
        }
        response
    }
}

/// What a request past its time limit is told.
pub const TIMED_OUT: &str = "The server did not answer in time. Please try again shortly.";

/// Gives every error response a JSON `detail`, including those axum produces itself (405 from the
/// method router, for one), so clients can read every failure the same way.
pub async fn ensure_json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let detail = match status {
        // Only the request time limit (`http::router`) answers a bare 503.
        StatusCode::SERVICE_UNAVAILABLE => TIMED_OUT.to_owned(),
        _ => status.canonical_reason().unwrap_or("Error").to_owned(),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&ErrorBody { detail }).expect("an error body always serialises");
    Response::from_parts(parts, body.into())
}
