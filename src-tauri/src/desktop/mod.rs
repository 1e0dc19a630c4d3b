//! The facade the Tauri commands call: a [`Desktop`] owns the settings, the session (token
//! included, which never leaves this process), a [`Client`] on the chosen server and remote mode's
//! sync. One file per area; the logic below it (the authenticated caller, the sync engine, the
//! replica) lives in `session` and `sync`, testable without a window and without a `Desktop`.

mod account;
mod admin;
mod data;
mod moving;
mod registration;
mod sessions;
mod sso;
mod sync;
mod tasks;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use authdesk_contract::desktop::{AppInfo, CommandError, ServerChoice, SettingsSaved};
use authdesk_contract::HealthResponse;
use authdesk_i18n::Language;
use authdesk_server::store::Store;
use tokio::sync::RwLock;

pub(crate) use sync::Leftover;

use crate::client::{self, Client};
use crate::files::{self, JsonFile, KeyValueFile};
use crate::session::secrets::{self, REFRESH_TOKEN_FILE};
use crate::session::{Authed, SessionKeeper, Sessions};
use crate::settings::{self, Settings};
use crate::sync::{SyncOptions, Syncer};
use crate::words;
use crate::{Result, SESSION_FILE, SETTINGS_FILE};

struct Live {
    server: ServerChoice,
    client: Client,
    /// The embedded server's database (backups, restores); `None` for a remote server.
    store: Option<Store>,
}

pub struct Desktop {
    data_dir: PathBuf,
    settings: Settings,
    sessions: Arc<Sessions>,
    live: RwLock<Live>,
    /// A password sign-in waiting for its second factor (see `account`).
    pending_sign_in: std::sync::Mutex<Option<account::PendingSignIn>>,
    /// Remote mode's replica and sync loop (see [`crate::sync`]).
    sync: Arc<Syncer>,
    /// Wakes a single sign-on waiting for the browser, to give up (see `sso`).
    sso_cancel: tokio::sync::Notify,
    /// Your data's file dialogs, an import read and counted, a backup checked (see `data`).
    files: data::Files,
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
        let (client, store) = connect(&data_dir, &server).await?;
        let secret_file = secrets::SecretFile::new(data_dir.join(REFRESH_TOKEN_FILE));
        let keychain = options
            .keychain
            .then(|| secrets::Keychain::open(&data_dir).map(|k| Box::new(k) as Box<dyn secrets::SecretSlot>))
            .flatten();
        let desktop = Arc::new(Self {
            sync: Syncer::new(&data_dir, options.sync),
            data_dir,
            settings,
            sessions: Arc::new(Sessions::new(SessionKeeper::new(session, secret_file).with_secrets(keychain))),
            live: RwLock::new(Live { server, client, store }),
            pending_sign_in: std::sync::Mutex::new(None),
            sso_cancel: tokio::sync::Notify::new(),
            files: data::Files::default(),
        });
        // A replica that cannot be opened is reported by the task commands, not by the launch.
        let _ = desktop.replica().await;
        data::keep_daily_backups(&desktop);
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

    fn keeper(&self) -> &SessionKeeper {
        self.sessions.keeper()
    }

    async fn current(&self) -> (ServerChoice, Client) {
        let live = self.live.read().await;
        (live.server.clone(), live.client.clone())
    }

    /// The authenticated caller on the current server.
    async fn caller(&self) -> Authed {
        let (server, client) = self.current().await;
        Authed::new(client, server, Arc::clone(&self.sessions))
    }

    /// A protected call on the current server (see [`Authed::call`]).
    async fn authed<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(Client, String) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.caller().await.call(call).await
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
        let (client, store) = connect(&self.data_dir, &server).await?;
        // Changes still waiting stay on this computer for the next sign-in to that server.
        let signed_out = self.sign_out(&live.server, &live.client, Leftover::KeepIfWaiting).await?;
        self.settings.set_server(&server)?;
        *live = Live { server: server.clone(), client, store };
        Ok(SettingsSaved { server, signed_out })
    }

    /// Asks `server` (or the current one) for its health, without switching to it.
    pub async fn test_connection(&self, server: Option<ServerChoice>) -> Result<HealthResponse> {
        let (current, client) = self.current().await;
        match server.map(settings::validated).transpose()? {
            Some(wanted) if wanted != current => connect(&self.data_dir, &wanted).await?.0.health().await,
            _ => client.health().await,
        }
    }

    /// The language the app speaks (see [`words::language`]).
    pub fn language(&self) -> Language {
        words::language(self.settings.language())
    }

    /// Chooses the app's language, or the system's with `None`; answers the one now spoken.
    pub fn set_language(&self, tag: Option<&str>) -> Result<Language> {
        let chosen = match tag {
            Some(tag) => Some(
                Language::from_tag(tag)
                    .filter(|l| Language::CHOICES.contains(l))
                    .ok_or_else(|| CommandError::rejected(format!("authdesk does not speak \"{tag}\"")))?,
            ),
            None => None,
        };
        self.settings.set_language(chosen)?;
        Ok(self.language())
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
            token_storage: self.keeper().token_storage().into(),
            embedded_database,
            language: self.language().tag().into(),
            language_choice: self.settings.language().map(|l| l.tag().into()),
        }
    }
}

async fn connect(data_dir: &Path, server: &ServerChoice) -> Result<(Client, Option<Store>)> {
    match server {
        ServerChoice::Embedded => Client::embedded_with_store(data_dir).await.map(|(c, s)| (c, Some(s))),
        ServerChoice::Remote { url } => Ok((Client::remote(url)?, None)),
    }
}

/// `AUTHDESK_THEME=light|dark` forces a colour scheme (for screenshots); anything else is ignored.
pub fn forced_theme() -> Option<String> {
    std::env::var("AUTHDESK_THEME").ok().filter(|t| t == "light" || t == "dark")
}
