//! One small client over two transports: to the auth server embedded in this process (its router
//! is called directly, no TCP port) or to a remote server over HTTPS. Both servers answer with the
//! same status codes and JSON bodies, so nothing above this module knows which one it talks to.

use std::path::Path;
use std::time::Duration;

use authdesk_contract::desktop::{CommandError, ErrorKind};
use authdesk_contract::{
    ChangePasswordRequest, CreateTaskRequest, DeleteAccountRequest, ErrorBody, HealthResponse, LoginRequest,
    LoginResponse, LogoutRequest, MeResponse, MessageResponse, RefreshRequest, RegisterRequest, RegisterResponse,
    SessionInfo, Task, UpdateTaskRequest,
};
use authdesk_server::{Config, DatabaseUrl, Secret};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::ServiceExt;
use uuid::Uuid;

use crate::files::{ensure_private_file, restrict_existing, write_private};
use crate::Result;

/// The file, in the data directory, holding the embedded server's signing secret.
pub const SECRET_FILE: &str = "server-secret";
/// The embedded server's SQLite database, in the data directory.
pub const DATABASE_FILE: &str = "authdesk.db";
const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// How long a request to a remote server may take, connecting included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How long one refresh may take. The server rotates the token as it answers; an answer lost on
/// the way (timeout, dropped connection) is asked for once more at once, and the server hands
/// the same successor again only within its grace window after the rotation (10 s by default).
/// So this plus the retry's trip must stay under that window: 4 s leaves room, and both attempts
/// together still end before it.
const REFRESH_TIMEOUT: Duration = Duration::from_secs(4);
/// The detail of the server's 401 for a refresh token it does not know.
const UNKNOWN_REFRESH_TOKEN: &str = "Invalid refresh token";
/// The header naming this client; the server labels the session with it.
const CLIENT_NAME_HEADER: &str = "x-client-name";

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
enum Transport {
    /// The embedded server's router, called in this process.
    InProcess(axum::Router),
    /// HTTPS (or HTTP on loopback) to a remote server.
    Http { base: String, http: reqwest::Client },
}

/// A cheap-to-clone handle on one server.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
}

/// What came back over either transport, before it is read as a success or an error.
struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: Vec<u8>,
}

impl Client {
    /// Opens (creating and migrating if needed) `<data_dir>/authdesk.db` with a signing secret
    /// generated on first use and kept, mode 0600, in `<data_dir>/server-secret`.
    pub async fn embedded(data_dir: &Path) -> Result<Self> {
        let secret = load_or_create_secret(&data_dir.join(SECRET_FILE))?;
        let database = data_dir.join(DATABASE_FILE);
        private_database(&database)?;
        let config = Config::new(DatabaseUrl::Sqlite(database), secret);
        // The server opens and migrates SQLite on its blocking pool, off the async workers.
        let app = authdesk_server::build(&config)
            .await
            .map_err(|e| CommandError::local(format!("Cannot open the local database: {e}")))?;
        Ok(Self::from_router(app.router))
    }

    /// An in-process client over any router (tests use this with their own configuration).
    pub fn from_router(router: axum::Router) -> Self {
        Self { transport: Transport::InProcess(router) }
    }

    /// A client for the server at `url` (see [`normalize_remote_url`]).
    pub fn remote(url: &str) -> Result<Self> {
        let base = normalize_remote_url(url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            // Never: a redirect could take a password or a token elsewhere, even to plain http://,
            // and 307/308 would post the body again. A 3xx is reported instead (see `send`).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("authdesk-desktop/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CommandError::local(format!("Cannot set up HTTP: {e}")))?;
        Ok(Self { transport: Transport::Http { base, http } })
    }

    /// "embedded" or the remote base URL, for messages.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::InProcess(_) => "the embedded server".into(),
            Transport::Http { base, .. } => base.clone(),
        }
    }

    pub async fn health(&self) -> Result<HealthResponse> {
        let answer = self.send(Method::GET, "/api/health", None, None::<&()>).await?;
        // 503 still carries a HealthResponse naming the database.
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            if let Ok(health) = serde_json::from_slice::<HealthResponse>(&answer.body) {
                return Ok(health);
            }
        }
        read(answer)
    }

    pub async fn register(&self, req: &RegisterRequest) -> Result<RegisterResponse> {
        read(self.send(Method::POST, "/api/auth/register", None, Some(req)).await?)
    }

    pub async fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        read(self.send(Method::POST, "/api/auth/login", None, Some(req)).await?)
    }

    /// A wrong `current_password` is [`ErrorKind::Rejected`] (see [`Client::password_rechecked`]).
    pub async fn change_password(&self, token: &str, req: &ChangePasswordRequest) -> Result<MessageResponse> {
        let answer = self.send(Method::POST, "/api/auth/password", Some(token), Some(req)).await?;
        read(self.password_rechecked(token, answer).await?)
    }

    pub async fn list_sessions(&self, token: &str) -> Result<Vec<SessionInfo>> {
        read(self.send(Method::GET, "/api/auth/sessions", Some(token), None::<&()>).await?)
    }

    pub async fn revoke_session(&self, token: &str, id: Uuid) -> Result<()> {
        no_content(self.send(Method::DELETE, &format!("/api/auth/sessions/{id}"), Some(token), None::<&()>).await?)
    }

    /// A wrong password is [`ErrorKind::Rejected`] (see [`Client::password_rechecked`]).
    pub async fn delete_account(&self, token: &str, req: &DeleteAccountRequest) -> Result<()> {
        let answer = self.send(Method::DELETE, "/api/auth/me", Some(token), Some(req)).await?;
        no_content(self.password_rechecked(token, answer).await?)
    }

    /// `POST /api/auth/password` and `DELETE /api/auth/me` check the password again and answer a
    /// wrong one with 401, the status of a refused token too. Which of the two it was is told by
    /// asking `GET /api/auth/me` with the same token: accepted, the token is fine and the 401 was
    /// the password's, a mistake to show ([`ErrorKind::Rejected`]) that must not sign anyone out;
    /// refused (or no answer), that error is returned and the session is dealt with as for any
    /// other call.
    async fn password_rechecked(&self, token: &str, answer: Answer) -> Result<Answer> {
        if answer.status != StatusCode::UNAUTHORIZED {
            return Ok(answer);
        }
        self.me(token).await?;
        Err(CommandError { kind: ErrorKind::Rejected, ..error_from(&answer) })
    }

    /// Trades a refresh token for a new access token and refresh token. An answer that does not
    /// arrive is asked for once more at once, within the server's grace window (see
    /// [`REFRESH_TIMEOUT`]): a later retry would present a spent token, which ends the session.
    pub async fn refresh(&self, refresh_token: &str) -> Result<LoginResponse> {
        let req = RefreshRequest { refresh_token: refresh_token.to_owned() };
        let attempt = || self.send_within(Method::POST, "/api/auth/refresh", None, Some(&req), REFRESH_TIMEOUT);
        let answer = match attempt().await {
            Err(lost) if lost.kind == ErrorKind::Unreachable => attempt().await?,
            answer => answer?,
        };
        read(answer)
    }

    /// Revokes the session on the server: its tokens stop working at once.
    pub async fn logout(&self, token: &str) -> Result<()> {
        no_content(self.send(Method::POST, "/api/auth/logout", Some(token), None::<&()>).await?)
    }

    /// Revokes the session `refresh_token` belongs to, for when the access token is gone.
    pub async fn logout_with_refresh_token(&self, refresh_token: &str) -> Result<()> {
        let req = LogoutRequest { refresh_token: refresh_token.to_owned() };
        no_content(self.send(Method::POST, "/api/auth/logout", None, Some(&req)).await?)
    }

    pub async fn me(&self, token: &str) -> Result<MeResponse> {
        read(self.send(Method::GET, "/api/auth/me", Some(token), None::<&()>).await?)
    }

    pub async fn list_tasks(&self, token: &str) -> Result<Vec<Task>> {
        read(self.send(Method::GET, "/api/tasks", Some(token), None::<&()>).await?)
    }

    pub async fn create_task(&self, token: &str, req: &CreateTaskRequest) -> Result<Task> {
        read(self.send(Method::POST, "/api/tasks", Some(token), Some(req)).await?)
    }

    pub async fn update_task(&self, token: &str, id: Uuid, req: &UpdateTaskRequest) -> Result<Task> {
        read(self.send(Method::PATCH, &format!("/api/tasks/{id}"), Some(token), Some(req)).await?)
    }

    pub async fn delete_task(&self, token: &str, id: Uuid) -> Result<()> {
        no_content(self.send(Method::DELETE, &format!("/api/tasks/{id}"), Some(token), None::<&()>).await?)
    }

    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Result<Answer> {
        self.send_within(method, path, token, body, REQUEST_TIMEOUT).await
    }

    /// Sends a request; `timeout` bounds a remote one (the embedded server cannot lose an answer).
    async fn send_within<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
        timeout: Duration,
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
                let request = request
                    .body(body.map_or_else(Body::empty, Body::from))
                    .map_err(|e| CommandError::local(format!("Cannot build the request: {e}")))?;
                let response = match router.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                let status = response.status();
                let retry_after = retry_after(response.headers().get(header::RETRY_AFTER));
                let body = axum::body::to_bytes(response.into_body(), MAX_RESPONSE_BYTES)
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
                let unreachable = |_| CommandError::new(ErrorKind::Unreachable, format!("Cannot reach {base}"));
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
                let body = response.bytes().await.map_err(unreachable)?;
                Ok(Answer { status, retry_after, body: body.to_vec() })
            }
        }
    }
}

fn retry_after(value: Option<&axum::http::HeaderValue>) -> Option<u64> {
    value.and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok())
}

fn no_content(answer: Answer) -> Result<()> {
    if answer.status.is_success() {
        Ok(())
    } else {
        Err(error_from(&answer))
    }
}

fn read<T: DeserializeOwned>(answer: Answer) -> Result<T> {
    if !answer.status.is_success() {
        return Err(error_from(&answer));
    }
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

/// Whether a refusal of [`Client::logout_with_refresh_token`] shows the session is over already:
/// the server knows no such refresh token, so no live session holds it. Other refusals (e.g. a
/// server older than that request asks for an Authorization header) end nothing.
pub fn is_unknown_refresh_token(error: &CommandError) -> bool {
    error.status == Some(401) && error.message == UNKNOWN_REFRESH_TOKEN
}

/// Maps a non-2xx answer to a [`CommandError`] carrying the server's `detail`.
fn error_from(answer: &Answer) -> CommandError {
    let detail = serde_json::from_slice::<ErrorBody>(&answer.body)
        .map(|b| b.detail)
        .unwrap_or_else(|_| format!("The server answered {}", answer.status));
    let kind = match answer.status {
        StatusCode::UNAUTHORIZED => ErrorKind::Unauthorized,
        StatusCode::TOO_MANY_REQUESTS => ErrorKind::RateLimited,
        s if s.is_client_error() => ErrorKind::Rejected,
        _ => ErrorKind::Server,
    };
    CommandError { kind, message: detail, retry_after: answer.retry_after, status: Some(answer.status.as_u16()) }
}

/// Checks a remote server URL: `https://`, or `http://` to this machine only (127.0.0.1, ::1,
/// localhost) since anything else would send passwords and tokens in clear text. Returns it
/// without a trailing slash.
pub fn normalize_remote_url(raw: &str) -> Result<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(CommandError::local("Enter the server URL, e.g. https://auth.example.com"));
    }
    let url = reqwest::Url::parse(raw).map_err(|_| CommandError::local(format!("\"{raw}\" is not a valid URL")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(CommandError::local(
                "Use https:// for a remote server (plain http:// is allowed only for 127.0.0.1, ::1 and localhost)",
            ))
        }
        other => return Err(CommandError::local(format!("Unsupported URL scheme \"{other}\": use https://"))),
    }
    if url.host().is_none() {
        return Err(CommandError::local("The URL has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(CommandError::local("The server URL must not contain credentials, a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Creates the embedded database file 0600 before SQLite opens it, so it is never readable by
/// others: SQLite would create it with the umask's mode (0644), and gives its `-wal` and `-shm`
/// the main file's mode. Files of earlier versions are tightened.
fn private_database(path: &Path) -> Result<()> {
    ensure_private_file(path, b"")?;
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        restrict_existing(Path::new(&companion))?;
    }
    Ok(())
}

fn load_or_create_secret(path: &Path) -> Result<Secret> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).trim().as_bytes().to_vec();
            Secret::new(text).map_err(|e| CommandError::local(format!("The stored server secret is unusable: {e}")))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = Secret::generate();
            write_private(path, secret.expose())?;
            Ok(secret)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_must_be_https_unless_loopback() {
        assert_eq!(normalize_remote_url("https://auth.example.com/").unwrap(), "https://auth.example.com");
        assert_eq!(normalize_remote_url(" https://auth.example.com/base/ ").unwrap(), "https://auth.example.com/base");
        assert_eq!(normalize_remote_url("http://127.0.0.1:8000").unwrap(), "http://127.0.0.1:8000");
        assert_eq!(normalize_remote_url("http://[::1]:8000/").unwrap(), "http://[::1]:8000");
        assert_eq!(normalize_remote_url("http://localhost:8000").unwrap(), "http://localhost:8000");
        for bad in
            ["http://auth.example.com", "http://10.0.0.1", "ftp://h", "auth.example.com", "", "https://u:p@h.com"]
        {
            assert!(normalize_remote_url(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn the_secret_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SECRET_FILE);
        let first = load_or_create_secret(&path).unwrap();
        let second = load_or_create_secret(&path).unwrap();
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
