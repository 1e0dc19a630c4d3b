//! What every handler shares: the services, and the HTTP layer's own settings.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use super::task_lists::TaskLists;
use crate::admin::Admin;
use crate::auth::signing::Reloader;
use crate::auth::Auth;
use crate::config::{IpNet, RateLimit};
use crate::prune::Pruner;
use crate::store::Store;
use crate::tasks::Tasks;

/// The handlers' state; cheap to clone. Built by `crate::app` from the configuration.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub store: Store,
    pub auth: Auth,
    pub admin: Admin,
    pub tasks: Tasks,
    /// Login attempts per client address (an HTTP concern: the address is the TCP peer's, or
    /// what a trusted proxy says it is).
    pub login_limit: Option<RateLimit>,
    /// Registration attempts per client address.
    pub register_limit: Option<RateLimit>,
    /// Password reset requests per client address.
    pub password_reset_limit: Option<RateLimit>,
    /// Reset code confirmations per client address.
    pub password_reset_confirm_limit: Option<RateLimit>,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    pub request_timeout: Duration,
    pub cors_origins: Vec<String>,
    /// The server's external base URL (`AUTHDESK_PUBLIC_URL`), for links in mail.
    pub public_url: Option<String>,
    /// Exports per account.
    pub export_limit: Option<RateLimit>,
    /// The task lists last sent (see `task_lists`).
    pub task_lists: TaskLists,
    /// The live change streams open per account (see `events`).
    pub event_streams: super::events::EventStreams,
    /// How often a live change stream's token is checked again.
    pub event_recheck: Duration,
    /// Background work that runs as long as the state does (pruning, key reloading).
    pub background: Background,
}

/// Tasks that stop when dropped, kept with the state so an in-process caller that holds only the
/// router (the desktop app) keeps them running too.
pub struct Background {
    pub pruner: Pruner,
    pub key_reloader: Reloader,
}

impl From<Shared> for AppState {
    fn from(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
