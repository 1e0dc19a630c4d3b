//! The one error type of the HTTP layer, and the one place it becomes a response.

use std::time::Duration;

use authdesk_contract::{
    EmailNotVerifiedBody, ErrorBody, ErrorCode, MfaRequiredBody, StaleTaskBody, Task, MFA_METHODS,
};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::auth::{AuthError, TokenError};
use crate::rate_limit::LimitError;
use crate::store::StoreError;
use crate::tasks::TaskError;

/// A task's `ETag`: its version, quoted.
pub fn etag(version: i64) -> [(header::HeaderName, HeaderValue); 1] {
    [(header::ETAG, HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header value"))]
}

/// Every failure of a request: its status, its `code` (see [`ErrorCode`]) and its `detail`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{1}")]
    BadRequest(ErrorCode, String),
    /// Sent with `WWW-Authenticate: Bearer`.
    #[error("{1}")]
    Unauthorized(ErrorCode, String),
    #[error("{1}")]
    Forbidden(ErrorCode, String),
    #[error("{0}")]
    NotFound(String),
    #[error("{1}")]
    Conflict(ErrorCode, String),
    /// More items than the route takes in one request: 413 with a sentence saying how many.
    #[error("{0}")]
    TooMany(String),
    /// Over the route's body limit, `limit` bytes.
    #[error("request body too large")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A body that is not what the route takes: 422, code `validation`.
    #[error("{0}")]
    Unprocessable(String),
    /// `noun` names what was counted ("login attempts"); `lockout` when it is the account's
    /// failed checks.
    #[error("too many {noun}")]
    TooManyRequests { noun: &'static str, retry_after: Duration, lockout: bool },
    #[error("{0}")]
    Unavailable(String),
    /// The password was right and the account asks for its second factor: 401 with the challenge.
    #[error("Two-factor code required")]
    MfaRequired { mfa_token: String },
    /// The right password for an account whose address is not verified: 403 that says so.
    #[error("Email address not verified")]
    EmailNotVerified,
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
            TaskError::IdTaken => ApiError::Conflict(ErrorCode::Conflict, e.to_string()),
            TaskError::Stale(task) => ApiError::Stale(task),
            TaskError::CursorExpired => ApiError::Gone(e.to_string()),
            TaskError::InvalidCursor => ApiError::BadRequest(ErrorCode::InvalidCursor, e.to_string()),
            TaskError::InvalidLimit(detail) => ApiError::invalid(detail),
            TaskError::InvalidTitle(detail) => ApiError::Unprocessable(detail.into()),
            TaskError::InvalidImport(detail) => ApiError::invalid(detail),
            TaskError::TooManyToImport => ApiError::TooMany(e.to_string()),
            TaskError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => ApiError::Conflict(ErrorCode::Conflict, "The resource already exists".into()),
            // Writes only refer to the caller's own account: it was deleted while the request ran,
            // so the token no longer names anyone (what the next request would hear anyway).
            StoreError::Gone => TokenError::Invalid.into(),
            StoreError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                ApiError::Unavailable("The database is temporarily unavailable. Please try again shortly.".into())
            }
            StoreError::Other(reason) => ApiError::Internal(reason),
            e @ StoreError::Unsupported(_) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        let code = match e {
            TokenError::Expired => ErrorCode::TokenExpired,
            TokenError::Revoked => ErrorCode::SessionRevoked,
            TokenError::InvalidSignature | TokenError::Malformed | TokenError::Invalid | TokenError::UnknownKey => {
                ErrorCode::InvalidToken
            }
        };
        ApiError::Unauthorized(code, e.detail())
    }
}

/// Every auth failure's status, code and sentence: the original design's wording where it had one.
impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        use ErrorCode as C;
        let unauthorized = |code, detail: &str| ApiError::Unauthorized(code, detail.into());
        let bad_request = |code, detail: &str| ApiError::BadRequest(code, detail.into());
        match e {
            AuthError::InvalidEmail(e) => bad_request(C::InvalidEmail, e.message()),
            AuthError::WeakPassword(rule) => bad_request(C::WeakPassword, rule.message()),
            AuthError::BreachedPassword => {
                bad_request(C::BreachedPassword, "This password has appeared in a data breach; choose another")
            }
            AuthError::EmailTaken => ApiError::Conflict(C::EmailTaken, "Email already registered".into()),
            AuthError::BadCredentials => unauthorized(C::InvalidCredentials, "Invalid email or password"),
            AuthError::Limited { noun, retry_after, lockout } => {
                ApiError::TooManyRequests { noun, retry_after, lockout }
            }
            AuthError::Busy { retry_after } => ApiError::Busy { retry_after },
            AuthError::WrongCurrentPassword => unauthorized(C::WrongPassword, "Current password is incorrect"),
            AuthError::WrongPassword => unauthorized(C::WrongPassword, "Password is incorrect"),
            AuthError::Token(e) => e.into(),
            AuthError::UnknownRefreshToken => unauthorized(C::InvalidRefreshToken, "Invalid refresh token"),
            AuthError::RefreshTokenExpired => {
                unauthorized(C::SessionExpired, "Refresh token expired. Please sign in again.")
            }
            AuthError::SessionSignedOut => {
                unauthorized(C::SessionRevoked, "This session has been signed out. Please sign in again.")
            }
            AuthError::RefreshTokenReused => unauthorized(
                C::RefreshTokenReused,
                "Refresh token was already used. The session has been signed out for safety; please sign in again.",
            ),
            AuthError::SessionNotFound => ApiError::NotFound("Session not found".into()),
            AuthError::MfaRequired { mfa_token } => ApiError::MfaRequired { mfa_token },
            AuthError::CodeRejected => bad_request(C::InvalidCode, "Invalid code"),
            AuthError::CodeRequired => {
                bad_request(C::CodeRequired, "Enter a code from your authenticator app or one of your recovery codes")
            }
            AuthError::SecondFactorRejected => unauthorized(C::InvalidCode, "Invalid code"),
            AuthError::MfaExpired => unauthorized(C::MfaExpired, "Sign-in expired, please sign in again"),
            AuthError::MfaAlreadyOn => {
                ApiError::Conflict(C::MfaAlreadyEnabled, "Two-factor authentication is already on".into())
            }
            AuthError::MfaOff => bad_request(C::MfaNotEnabled, "Two-factor authentication is off"),
            AuthError::TotpNotSetUp => bad_request(C::MfaNotSetUp, "Set up two-factor authentication first"),
            AuthError::ResetCodeRejected => bad_request(C::InvalidResetCode, "Invalid or expired code"),
            AuthError::AccountDisabled => ApiError::Forbidden(C::AccountDisabled, "This account is disabled".into()),
            AuthError::AdminRequired => ApiError::Forbidden(C::AdminRequired, "Administrator access required".into()),
            AuthError::UserNotFound => ApiError::NotFound("User not found".into()),
            AuthError::SelfAdministration(what) => ApiError::BadRequest(C::NotAllowed, format!("You cannot {what}")),
            AuthError::EmailNotVerified => ApiError::EmailNotVerified,
            AuthError::VerificationCodeRejected => bad_request(C::InvalidCode, "Invalid or expired code"),
            AuthError::InvitationRequired => {
                ApiError::Forbidden(C::InvitationRequired, "Registration requires an invitation".into())
            }
            AuthError::InvalidInvitation => bad_request(C::InvalidInvitation, "Invalid or expired invitation"),
            AuthError::DomainNotAllowed => {
                ApiError::Forbidden(C::DomainNotAllowed, "Registration is not open for this email address".into())
            }
            AuthError::InvitationNotFound => ApiError::NotFound("Invitation not found".into()),
            AuthError::SsoOff => ApiError::NotFound("Single sign-on is not set up on this server".into()),
            AuthError::InvalidRedirectUri(detail) => bad_request(C::InvalidRedirectUri, detail),
            AuthError::UnknownSsoState => bad_request(
                C::InvalidState,
                "This sign-in is unknown, already used or expired. Start the sign-in again from the app.",
            ),
            AuthError::InvalidGrant => bad_request(C::InvalidGrant, "Invalid or expired sign-in code"),
            AuthError::SsoUnavailable(reason) => {
                tracing::warn!(%reason, "sso: provider unavailable");
                ApiError::Unavailable("The sign-in provider is unavailable. Please try again shortly.".into())
            }
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
    /// A malformed request (a query parameter, a header): 400, code `validation`.
    pub fn invalid(detail: impl Into<String>) -> Self {
        ApiError::BadRequest(ErrorCode::Validation, detail.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(..) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(..) | ApiError::MfaRequired { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(..) | ApiError::EmailNotVerified => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(..) => StatusCode::CONFLICT,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::Stale(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } | ApiError::TooMany(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(code, _)
            | ApiError::Unauthorized(code, _)
            | ApiError::Forbidden(code, _)
            | ApiError::Conflict(code, _) => *code,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::Gone(_) => ErrorCode::CursorExpired,
            ApiError::Stale(_) => ErrorCode::VersionConflict,
            ApiError::PayloadTooLarge { .. } | ApiError::TooMany(_) => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::Unprocessable(_) => ErrorCode::Validation,
            ApiError::TooManyRequests { lockout: true, .. } => ErrorCode::LockedOut,
            ApiError::TooManyRequests { lockout: false, .. } => ErrorCode::RateLimited,
            ApiError::MfaRequired { .. } => ErrorCode::MfaRequired,
            ApiError::EmailNotVerified => ErrorCode::EmailNotVerified,
            ApiError::Busy { .. } => ErrorCode::Busy,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::PayloadTooLarge { limit } if *limit >= 1024 * 1024 => {
                format!("Request body is too large (the limit is {} MiB)", limit / (1024 * 1024))
            }
            ApiError::PayloadTooLarge { limit } => {
                format!("Request body is too large (the limit is {} KiB)", limit / 1024)
            }
            ApiError::TooManyRequests { noun, retry_after, .. } => {
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
                    code: self.code(),
                    mfa_required: true,
                    mfa_token: mfa_token.clone(),
                    methods: MFA_METHODS.iter().map(|m| m.to_string()).collect(),
                };
                (self.status(), Json(body)).into_response()
            }
            ApiError::EmailNotVerified => {
                let body =
                    EmailNotVerifiedBody { detail: self.detail(), code: self.code(), verification_required: true };
                (self.status(), Json(body)).into_response()
            }
            ApiError::Stale(task) => {
                let body = StaleTaskBody { detail: self.detail(), code: self.code(), task: (**task).clone() };
                (self.status(), etag(task.version), Json(body)).into_response()
            }
            _ => (self.status(), Json(ErrorBody { detail: self.detail(), code: self.code() })).into_response(),
        };
        let headers = response.headers_mut();
        match &self {
            ApiError::Unauthorized(..) | ApiError::MfaRequired { .. } => {
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
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::TimedOut,
        s if s.is_client_error() => ErrorCode::Validation,
        _ => ErrorCode::Internal,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&ErrorBody { detail, code }).expect("an error body always serialises");
    Response::from_parts(parts, body.into())
}
