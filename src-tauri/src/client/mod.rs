//! One small client over two transports: to the auth server embedded in this process (its router
//! is called directly, no TCP port) or to a remote server over HTTPS. Both servers answer with the
//! same status codes and JSON bodies, so nothing above this module knows which one it talks to.

mod account;
mod admin;
mod data;
mod events;
mod setup;
mod transport;

use std::path::Path;
use std::time::Duration;

use authdesk_contract::desktop::{CommandError, ErrorKind};
use authdesk_contract::{
    ChangePasswordRequest, CreateTaskRequest, DeleteAccountRequest, ErrorCode, HealthResponse, LoginResponse,
    LogoutRequest, MeResponse, MessageResponse, RefreshRequest, RegisterRequest, RegisterResponse, RegistrationInfo,
    RevokedSessions, SessionInfo, StaleTaskBody, Task, TaskChangesPage, UpdateTaskRequest,
};
use authdesk_server::store::Store;
use authdesk_server::{Config, DatabaseUrl};
use axum::http::{Method, StatusCode};
use uuid::Uuid;

pub use account::SignIn;
pub use events::TaskEvents;
use setup::load_or_create_secret;
pub use setup::normalize_remote_url;
pub use transport::client_name;
use transport::{error_from, no_content, read, read_body, Answer, Transport, REQUEST_TIMEOUT};

use crate::Result;

/// The file, in the data directory, holding the embedded server's signing secret.
pub const SECRET_FILE: &str = "server-secret";
/// The embedded server's SQLite database, in the data directory.
pub const DATABASE_FILE: &str = "authdesk.db";
/// How long one refresh may take. The server rotates the token as it answers; an answer lost on
/// the way (timeout, dropped connection) is asked for once more at once, and the server hands
/// the same successor again only within its grace window after the rotation (10 s by default).
/// So this plus the retry's trip must stay under that window: 4 s leaves room, and both attempts
/// together still end before it.
const REFRESH_TIMEOUT: Duration = Duration::from_secs(4);

/// What a conditional `PATCH` did.
#[derive(Debug)]
pub enum Updated {
    Done(Task),
    /// The task had changed since the version given: here it is as it is now.
    Stale(Task),
}

/// A cheap-to-clone handle on one server.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
}

impl Client {
    /// Opens (creating and migrating if needed) `<data_dir>/authdesk.db` with a signing secret
    /// generated on first use and kept, mode 0600, in `<data_dir>/server-secret`.
    pub async fn embedded(data_dir: &Path) -> Result<Self> {
        Ok(Self::embedded_with_store(data_dir).await?.0)
    }

    /// [`Client::embedded`], with its database (for backups and restores).
    pub async fn embedded_with_store(data_dir: &Path) -> Result<(Self, Store)> {
        let secret = load_or_create_secret(&data_dir.join(SECRET_FILE))?;
        let database = data_dir.join(DATABASE_FILE);
        crate::files::ensure_private_database(&database)?;
        let config = Config::new(DatabaseUrl::Sqlite(database), secret);
        // The server opens and migrates SQLite on its blocking pool, off the async workers.
        let app = authdesk_server::build(&config)
            .await
            .map_err(|e| CommandError::local(format!("Cannot open the local database: {e}")))?;
        let store = app.state.store.clone();
        Ok((Self::from_router(app.router), store))
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
            // Under the server's 30 s idle deadline: a connection reused just as the server closes
            // it fails the request (the sync passes come every 30 s, right at that deadline).
            .pool_idle_timeout(Duration::from_secs(20))
            // Never: a redirect could take a password or a token elsewhere, even to plain http://,
            // and 307/308 would post the body again. A 3xx is reported instead (see `send`).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("authdesk-desktop/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CommandError::local(format!("Cannot set up HTTP: {e}")))?;
        Ok(Self { transport: Transport::Http { base, http } })
    }

    /// The address of `path` on a remote server, for a browser to open; `None` in-process.
    pub fn browser_url(&self, path: &str) -> Option<String> {
        match &self.transport {
            Transport::InProcess(_) => None,
            Transport::Http { base, .. } => Some(format!("{base}{path}")),
        }
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

    /// What the server's sign-up asks for; a server older than registration modes is open.
    pub async fn registration_info(&self) -> Result<RegistrationInfo> {
        let answer = self.send(Method::GET, "/api/auth/registration", None, None::<&()>).await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(RegistrationInfo::default());
        }
        read(answer)
    }

    /// A wrong `current_password` is [`ErrorKind::Rejected`] (see [`Client::password_rechecked`]).
    pub async fn change_password(&self, token: &str, req: &ChangePasswordRequest) -> Result<MessageResponse> {
        let answer = self.send(Method::POST, "/api/auth/password", Some(token), Some(req)).await?;
        read(self.password_rechecked(token, answer).await?)
    }

    pub async fn list_sessions(&self, token: &str) -> Result<Vec<SessionInfo>> {
        read(self.send(Method::GET, "/api/auth/sessions", Some(token), None::<&()>).await?)
    }

    /// Ends every session of the account but this one, in one step; how many it ended.
    pub async fn revoke_other_sessions(&self, token: &str) -> Result<RevokedSessions> {
        read(self.send(Method::POST, "/api/auth/sessions/revoke-others", Some(token), None::<&()>).await?)
    }

    pub async fn revoke_session(&self, token: &str, id: Uuid) -> Result<()> {
        no_content(self.send(Method::DELETE, &format!("/api/auth/sessions/{id}"), Some(token), None::<&()>).await?)
    }

    /// A wrong password is [`ErrorKind::Rejected`] (see [`Client::password_rechecked`]).
    pub async fn delete_account(&self, token: &str, req: &DeleteAccountRequest) -> Result<()> {
        let answer = self.send(Method::DELETE, "/api/auth/me", Some(token), Some(req)).await?;
        no_content(self.password_rechecked(token, answer).await?)
    }

    /// `POST /api/auth/password`, `DELETE /api/auth/me` and the second factor's settings check
    /// the password again and answer a wrong one with 401, the status of a refused token too. The
    /// code tells them apart (`wrong_password`: [`ErrorKind::Rejected`], see `error_from`). A
    /// server older than error codes sends none: then `GET /api/auth/me` with the same token
    /// tells — accepted, the 401 was the password's, a mistake to show that must not sign anyone
    /// out; refused (or no answer), that error is returned and the session dealt with as usual.
    async fn password_rechecked(&self, token: &str, answer: Answer) -> Result<Answer> {
        if answer.status != StatusCode::UNAUTHORIZED || error_from(&answer).code.is_some() {
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
        let attempt = || self.send_with(Method::POST, "/api/auth/refresh", None, Some(&req), REFRESH_TIMEOUT, None);
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
        let req = LogoutRequest { refresh_token: Some(refresh_token.to_owned()) };
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

    /// `PATCH` only if the task's version is still `if_match`: [`Updated::Stale`] carries the
    /// task as it is now when it is not.
    pub async fn update_task_if(
        &self,
        token: &str,
        id: Uuid,
        req: &UpdateTaskRequest,
        if_match: Option<i64>,
    ) -> Result<Updated> {
        let condition = if_match.map(|v| (axum::http::header::IF_MATCH, format!("\"{v}\"")));
        let path = format!("/api/tasks/{id}");
        let answer = self.send_with(Method::PATCH, &path, Some(token), Some(req), REQUEST_TIMEOUT, condition).await?;
        if answer.status == StatusCode::PRECONDITION_FAILED {
            return Ok(Updated::Stale(read_body::<StaleTaskBody>(&answer)?.task));
        }
        read(answer).map(Updated::Done)
    }

    /// `GET /api/tasks/changes`: what changed after `since` (from the beginning without one).
    pub async fn task_changes(&self, token: &str, since: Option<&str>, limit: u32) -> Result<TaskChangesPage> {
        let mut path = format!("/api/tasks/changes?limit={limit}");
        if let Some(since) = since {
            // The cursor is base64url and dots: nothing to escape, but never trust that blindly.
            path.push_str("&since=");
            path.extend(url::form_urlencoded::byte_serialize(since.as_bytes()));
        }
        read(self.send(Method::GET, &path, Some(token), None::<&()>).await?)
    }

    pub async fn delete_task(&self, token: &str, id: Uuid) -> Result<()> {
        no_content(self.send(Method::DELETE, &format!("/api/tasks/{id}"), Some(token), None::<&()>).await?)
    }
}

/// Whether a refusal of [`Client::logout_with_refresh_token`] shows the session is over already:
/// the server knows no such refresh token, so no live session holds it. Other refusals (e.g. a
/// server older than that request asks for an Authorization header) end nothing.
pub fn is_unknown_refresh_token(error: &CommandError) -> bool {
    error.code == Some(ErrorCode::InvalidRefreshToken)
}
