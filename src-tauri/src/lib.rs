//! The authdesk desktop shell's logic, testable without a window: a [`Desktop`] owns the
//! settings, the session (token included, which never leaves this process) and a [`Client`] on
//! the chosen server. `main.rs` only exposes its methods as Tauri commands, whose argument, answer
//! and error types are in [`authdesk_contract::desktop`], shared with the UI.

mod account;
mod admin;
pub mod client;
pub mod files;
pub mod secrets;
pub mod session;
pub mod settings;
mod sign_out;
pub mod sync;
mod tasks;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};

pub use authdesk_contract::desktop::{
    AppInfo, CommandError, ErrorKind, ServerChoice, SettingsSaved, SignInStep, SignedOut,
};
use authdesk_contract::{
    ChangePasswordRequest, DeleteAccountRequest, ErrorCode, HealthResponse, MeResponse, RegisterRequest, SessionInfo,
};
use chrono::Utc;
use tokio::sync::{Mutex, RwLock};
use uuid::Uuid;

pub use client::Client;
pub use files::{JsonFile, KeyValueFile};
pub use secrets::REFRESH_TOKEN_FILE;
pub use session::{Session, SessionKeeper};
pub use settings::Settings;
pub use sync::SyncOptions;

pub type Result<T, E = CommandError> = std::result::Result<T, E>;

/// The environment variable that overrides the data directory (tests use it).
pub const DATA_DIR_ENV: &str = "AUTHDESK_DATA_DIR";
pub const SETTINGS_FILE: &str = "settings.json";
pub const SESSION_FILE: &str = "session.json";
const NOT_SIGNED_IN: &str = "Please sign in";
/// What the UI shows on the sign-in screen after a 401 from a protected call.
pub use authdesk_contract::desktop::SESSION_EXPIRED;

fn session_expired() -> CommandError {
    CommandError::new(ErrorKind::Unauthorized, SESSION_EXPIRED)
}

struct Live {
    server: ServerChoice,
    client: Client,
}

pub struct Desktop {
    /// This desktop itself, for the sync loops it starts (they hold it weakly and end with it).
    this: Weak<Desktop>,
    data_dir: PathBuf,
    settings: Settings,
    session: SessionKeeper,
    live: RwLock<Live>,
    /// A password sign-in waiting for its second factor (see `account`).
    pending_sign_in: std::sync::Mutex<Option<account::PendingSignIn>>,
    /// Held while the stored session is traded for new tokens or ended, so that commands needing
    /// a refresh at the same moment share one (see [`Desktop::refresh`]) and a sign-out never
    /// races a refresh that would save the session again.
    session_change: Mutex<()>,
    /// Remote mode's replica and sync loop (see [`sync`]).
    sync: sync::Syncer,
}

/// Where [`Desktop::open`] keeps what it keeps besides its files.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Refresh tokens in the OS keychain when one answers (the app; tests use files only).
    pub keychain: bool,
    pub sync: SyncOptions,
}

impl Desktop {
    /// Opens the app state over `data_dir` (made private to this user) with the given files for
    /// settings and session. A remote session's sync starts at once.
    pub async fn open(
        data_dir: PathBuf,
        settings: Box<dyn KeyValueFile>,
        session: Box<dyn KeyValueFile>,
        options: OpenOptions,
    ) -> Result<Arc<Self>> {
        files::ensure_private_dir(&data_dir)?;
        let settings = Settings::new(settings);
        let server = settings.server();
        let client = connect(&data_dir, &server).await?;
        let secret_file = secrets::SecretFile::new(data_dir.join(REFRESH_TOKEN_FILE));
        let keychain = options
            .keychain
            .then(|| secrets::Keychain::open(&data_dir).map(|k| Box::new(k) as Box<dyn secrets::SecretSlot>))
            .flatten();
        let desktop = Arc::new_cyclic(|this| Self {
            this: this.clone(),
            sync: sync::Syncer::new(&data_dir, options.sync),
            data_dir,
            settings,
            session: SessionKeeper::new(session, secret_file).with_secrets(keychain),
            live: RwLock::new(Live { server, client }),
            pending_sign_in: std::sync::Mutex::new(None),
            session_change: Mutex::new(()),
        });
        // A replica that cannot be opened is reported by the task commands, not by the launch.
        let _ = desktop.replica().await;
        Ok(desktop)
    }

    /// Opens the app state with plain JSON files in `data_dir` (tests, tools).
    pub async fn open_with_files(data_dir: PathBuf) -> Result<Arc<Self>> {
        Self::open_with_files_and(data_dir, SyncOptions::default()).await
    }

    /// [`Desktop::open_with_files`] with its own sync pacing (tests).
    pub async fn open_with_files_and(data_dir: PathBuf, sync: SyncOptions) -> Result<Arc<Self>> {
        let settings = Box::new(JsonFile::open(data_dir.join(SETTINGS_FILE))?);
        let session = Box::new(JsonFile::open(data_dir.join(SESSION_FILE))?);
        Self::open(data_dir, settings, session, OpenOptions { keychain: false, sync }).await
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    async fn current(&self) -> (ServerChoice, Client) {
        let live = self.live.read().await;
        (live.server.clone(), live.client.clone())
    }

    /// Creates the account, then signs in with it.
    pub async fn register(&self, email: String, password: String) -> Result<MeResponse> {
        let (_, client) = self.current().await;
        client.register(&RegisterRequest { email: email.clone(), password: password.clone() }).await?;
        match self.login(email, password).await? {
            SignInStep::SignedIn { user } => Ok(user),
            // A new account has no second factor; a server that asks for one anyway gets its answer.
            SignInStep::SecondFactor { .. } => Err(CommandError::rejected("Account created; sign in to continue")),
        }
    }

    /// The stored session if the server still accepts it. `Ok(None)` when there is none or it
    /// has expired (then it is cleared); an unreachable server keeps it, and is an error. In
    /// remote mode the account as last heard answers at once, so the app opens without waiting
    /// for the network: the sync loop checks the session, and signs out if it is refused.
    pub async fn restore_session(&self) -> Result<Option<MeResponse>> {
        if self.session.load().is_none() {
            return Ok(None);
        }
        // A replica that cannot be read is no reason not to ask the server.
        if let Ok(Some(replica)) = self.replica().await {
            if let Ok(Some(me)) = replica.me().await {
                return Ok(Some(me));
            }
        }
        match self.me().await {
            Ok(me) => Ok(Some(me)),
            Err(e) if e.is_unauthorized() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Changes the password; the server signs out every other session and keeps this one.
    pub async fn change_password(&self, current: String, new: String) -> Result<String> {
        let req = ChangePasswordRequest { current_password: current, new_password: new };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.change_password(&token, &req).await }
        })
        .await
        .map(|m| m.message)
    }

    /// The account's sessions on the server, this one marked `current`.
    pub async fn list_sessions(&self) -> Result<Vec<SessionInfo>> {
        self.authed(|client, token| async move { client.list_sessions(&token).await }).await
    }

    pub async fn revoke_session(&self, id: Uuid) -> Result<()> {
        self.authed(|client, token| async move { client.revoke_session(&token, id).await }).await
    }

    /// Signs out every session of the account but this one, atomically on the server; returns
    /// how many were ended.
    pub async fn sign_out_others(&self) -> Result<usize> {
        match self.authed(|client, token| async move { client.revoke_other_sessions(&token).await }).await {
            Ok(answer) => Ok(usize::try_from(answer.revoked).unwrap_or(usize::MAX)),
            // A server older than that request: one session at a time.
            Err(e) if e.is(ErrorCode::MethodNotAllowed) => self.sign_out_others_one_by_one().await,
            Err(e) => Err(e),
        }
    }

    async fn sign_out_others_one_by_one(&self) -> Result<usize> {
        let others: Vec<Uuid> = self.list_sessions().await?.into_iter().filter(|s| !s.current).map(|s| s.id).collect();
        let mut ended = 0;
        for id in others {
            match self.revoke_session(id).await {
                Ok(()) => ended += 1,
                // Gone meanwhile (expired or revoked elsewhere): nothing left to do.
                Err(e) if e.is(ErrorCode::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(ended)
    }

    /// Deletes the account on the server (the password is checked again), then forgets the
    /// session here.
    pub async fn delete_account(&self, password: String) -> Result<()> {
        let req = DeleteAccountRequest { password };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.delete_account(&token, &req).await }
        })
        .await?;
        let _turn = self.session_change.lock().await;
        let stopped = self.sync.stop();
        if let Some(session) = self.session.load() {
            self.session.clear()?;
            self.dispose_replica(stopped, &session, sync::Leftover::Remove).await?;
        }
        Ok(())
    }

    /// Runs a protected call with the session's token. An expired access token is first traded
    /// for a new one with the refresh token, and a 401 is retried once after a refresh; only when
    /// the refresh is refused is the session cleared and [`SESSION_EXPIRED`] reported. An
    /// unreachable server keeps the session: being offline never signs anyone out.
    async fn authed<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(Client, String) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let Some(mut session) = self.session.load() else {
            return Err(CommandError::new(ErrorKind::Unauthorized, NOT_SIGNED_IN));
        };
        let (server, client) = self.current().await;
        if session.server != server {
            self.session.clear()?;
            return Err(session_expired());
        }
        if session.is_expired(Utc::now()) {
            session = self.refresh(&client, &session).await?;
        }
        match call(client.clone(), session.token.clone()).await {
            Err(e) if e.is_unauthorized() => {
                let fresh = self.refresh(&client, &session).await?;
                match call(client, fresh.token).await {
                    Err(e) if e.is_unauthorized() => {
                        self.session.clear()?;
                        Err(session_expired())
                    }
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Trades the session's refresh token for new tokens and saves them, once for all the commands
    /// that found `stale` expired or refused at the same moment: they wait their turn, and those
    /// after the first take what it got. Trading the same token again would present a spent one,
    /// which the server takes for a stolen copy once its grace window has passed. A refusal (or no
    /// refresh token) clears the session; other failures (offline) leave it for later.
    async fn refresh(&self, client: &Client, stale: &Session) -> Result<Session> {
        let _turn = self.session_change.lock().await;
        // Signed out, or refused to another command, meanwhile.
        let Some(session) = self.session.load().filter(|s| s.server == stale.server) else {
            return Err(session_expired());
        };
        if session.token != stale.token && !session.is_expired(Utc::now()) {
            return Ok(session);
        }
        let refused = || -> Result<Session> {
            self.session.clear()?;
            Err(session_expired())
        };
        let Some(refresh_token) = session.refresh_token.as_deref() else { return refused() };
        match client.refresh(refresh_token).await {
            Ok(answer) => {
                let fresh = Session::new(answer.access_token, answer.user_id, answer.email, session.server.clone())
                    .with_refresh_token(answer.refresh_token.or_else(|| session.refresh_token.clone()));
                self.session.save(&fresh)?;
                Ok(fresh)
            }
            Err(e) if e.is_unauthorized() => refused(),
            Err(e) => Err(e),
        }
    }

    pub async fn settings(&self) -> ServerChoice {
        self.live.read().await.server.clone()
    }

    /// Saves and switches to `server`. A different server signs out of the old one first, ending
    /// the session there as [`Desktop::logout`] does; the answer says how that went.
    pub async fn set_settings(&self, server: ServerChoice) -> Result<SettingsSaved> {
        let server = settings::validated(server)?;
        let mut live = self.live.write().await;
        if live.server == server {
            return Ok(SettingsSaved { server, signed_out: None });
        }
        let client = connect(&self.data_dir, &server).await?;
        // Changes still waiting stay on this computer for the next sign-in to that server.
        let signed_out = self.sign_out(&live.server, &live.client, sync::Leftover::KeepIfWaiting).await?;
        self.settings.set_server(&server)?;
        *live = Live { server: server.clone(), client };
        Ok(SettingsSaved { server, signed_out })
    }

    /// Asks `server` (or the current one) for its health, without switching to it.
    pub async fn test_connection(&self, server: Option<ServerChoice>) -> Result<HealthResponse> {
        let (current, client) = self.current().await;
        match server.map(settings::validated).transpose()? {
            Some(wanted) if wanted != current => connect(&self.data_dir, &wanted).await?.health().await,
            _ => client.health().await,
        }
    }

    pub async fn app_info(&self) -> AppInfo {
        let server = self.settings().await;
        let embedded_database =
            (server == ServerChoice::Embedded).then(|| self.data_dir.join(client::DATABASE_FILE).display().to_string());
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: self.data_dir.display().to_string(),
            server,
            theme: forced_theme(),
            token_storage: self.session.token_storage().into(),
            embedded_database,
        }
    }
}

async fn connect(data_dir: &Path, server: &ServerChoice) -> Result<Client> {
    match server {
        ServerChoice::Embedded => Client::embedded(data_dir).await,
        ServerChoice::Remote { url } => Client::remote(url),
    }
}

/// `AUTHDESK_THEME=light|dark` forces a colour scheme (for screenshots); anything else is ignored.
pub fn forced_theme() -> Option<String> {
    std::env::var("AUTHDESK_THEME").ok().filter(|t| t == "light" || t == "dark")
}
