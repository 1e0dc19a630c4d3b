//! The authenticated caller: runs a protected call with the session's access token, trading an
//! expired or refused one for a new one once for every command that needs it at that moment. The
//! desktop's commands and the sync engine both call through it; it knows neither.

use std::future::Future;
use std::sync::Arc;

use authdesk_contract::desktop::{CommandError, ErrorKind, ServerChoice, SESSION_EXPIRED};
use authdesk_contract::ErrorCode;
use chrono::Utc;
use tokio::sync::{Mutex, MutexGuard};

use super::{Session, SessionKeeper};
use crate::client::Client;
use crate::Result;

const NOT_SIGNED_IN: &str = "Please sign in";

/// What the sign-in screen is told after a refused session.
pub fn session_expired() -> CommandError {
    CommandError::new(ErrorKind::Unauthorized, SESSION_EXPIRED).with_code(ErrorCode::SessionExpired)
}

/// The stored session and the turn to change it.
pub struct Sessions {
    keeper: SessionKeeper,
    /// Held while the stored session is traded for new tokens or ended, so that commands needing
    /// a refresh at the same moment share one (see [`Authed::call`]) and a sign-out never races a
    /// refresh that would save the session again.
    change: Mutex<()>,
    /// The stored session was cleared because the server refused it (by whichever call found
    /// out first, the sync loop's included): later calls say so too, until the next sign-in.
    refused: std::sync::atomic::AtomicBool,
}

impl Sessions {
    pub fn new(keeper: SessionKeeper) -> Self {
        Self { keeper, change: Mutex::new(()), refused: Default::default() }
    }

    /// A new session was saved, or the old one ended by the user: no refusal to report.
    pub fn forget_refusal(&self) {
        self.refused.store(false, std::sync::atomic::Ordering::Release);
    }

    /// Clears the session the server refused; answers what the caller reports.
    fn refused(&self) -> Result<CommandError> {
        self.keeper.clear()?;
        self.refused.store(true, std::sync::atomic::Ordering::Release);
        Ok(session_expired())
    }

    pub fn keeper(&self) -> &SessionKeeper {
        &self.keeper
    }

    /// The turn to change the stored session: waits for a refresh or sign-out in progress.
    pub async fn turn(&self) -> MutexGuard<'_, ()> {
        self.change.lock().await
    }
}

/// A client on one server, calling with the session that server issued. Cheap to clone.
#[derive(Clone)]
pub struct Authed {
    client: Client,
    server: ServerChoice,
    sessions: Arc<Sessions>,
}

impl Authed {
    pub fn new(client: Client, server: ServerChoice, sessions: Arc<Sessions>) -> Self {
        Self { client, server, sessions }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn server(&self) -> &ServerChoice {
        &self.server
    }

    /// Runs a protected call with the session's token. An expired access token is first traded
    /// for a new one with the refresh token, and a 401 is retried once after a refresh; only when
    /// the refresh is refused is the session cleared and [`SESSION_EXPIRED`] reported. An
    /// unreachable server keeps the session: being offline never signs anyone out.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(Client, String) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let keeper = self.sessions.keeper();
        let Some(mut session) = keeper.load() else {
            if self.sessions.refused.load(std::sync::atomic::Ordering::Acquire) {
                return Err(session_expired());
            }
            return Err(
                CommandError::new(ErrorKind::Unauthorized, NOT_SIGNED_IN).with_code(ErrorCode::NotAuthenticated)
            );
        };
        if session.server != self.server {
            keeper.clear()?;
            return Err(session_expired());
        }
        if session.is_expired(Utc::now()) {
            session = self.refresh(&session).await?;
        }
        match call(self.client.clone(), session.token.clone()).await {
            Err(e) if e.is_unauthorized() => {
                let fresh = self.refresh(&session).await?;
                match call(self.client.clone(), fresh.token).await {
                    Err(e) if e.is_unauthorized() => Err(self.sessions.refused()?),
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Trades the session's refresh token for new tokens and saves them, once for all the calls
    /// that found `stale` expired or refused at the same moment: they wait their turn, and those
    /// after the first take what it got. Trading the same token again would present a spent one,
    /// which the server takes for a stolen copy once its grace window has passed. A refusal (or no
    /// refresh token) clears the session; other failures (offline) leave it for later.
    async fn refresh(&self, stale: &Session) -> Result<Session> {
        let _turn = self.sessions.turn().await;
        let keeper = self.sessions.keeper();
        // Signed out, or refused to another call, meanwhile.
        let Some(session) = keeper.load().filter(|s| s.server == stale.server) else {
            return Err(session_expired());
        };
        if session.token != stale.token && !session.is_expired(Utc::now()) {
            return Ok(session);
        }
        let refused = || -> Result<Session> { Err(self.sessions.refused()?) };
        let Some(refresh_token) = session.refresh_token.as_deref() else { return refused() };
        match self.client.refresh(refresh_token).await {
            Ok(answer) => {
                let fresh = Session::new(answer.access_token, answer.user_id, answer.email, session.server.clone())
                    .with_refresh_token(answer.refresh_token.or_else(|| session.refresh_token.clone()));
                keeper.save(&fresh)?;
                Ok(fresh)
            }
            Err(e) if e.is_unauthorized() => refused(),
            Err(e) => Err(e),
        }
    }
}
