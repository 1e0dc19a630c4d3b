//! Building the application from a [`Config`]: open the store, then assemble the router.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;

use crate::admin::Admin;
use crate::auth::signing::{KeyRing, Refresher, SigningError};
use crate::auth::Auth;
use crate::config::{Config, IpNet, RateLimit};
use crate::prune::{self, Pruner, Retention};
use crate::store::{Store, StoreError};
use crate::tasks::Tasks;

/// What every handler shares: cheap to clone.
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
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    pub request_timeout: Duration,
    pub cors_origins: Vec<String>,
    /// Run as long as the application does.
    _pruner: Pruner,
    _key_refresher: Refresher,
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The state, with its pruning and key reloading tasks started (so this runs inside a Tokio
    /// runtime).
    pub fn new(config: &Config, store: Store, keys: Arc<KeyRing>) -> Self {
        Self(Arc::new(Shared {
            _key_refresher: keys.spawn_refresh(config.signing_keys_refresh),
            auth: Auth::new(config, store.clone(), Some(keys)),
            admin: Admin::new(store.clone()),
            tasks: Tasks::new(store.clone(), config.tombstone_retention),
            _pruner: prune::spawn(
                store.clone(),
                config.prune_interval,
                Retention {
                    audit_events: config.audit_retention,
                    access_tokens: config.access_token_ttl,
                    tombstones: config.tombstone_retention,
                },
            ),
            store,
            login_limit: config.login_rate_limit,
            register_limit: config.register_rate_limit,
            password_reset_limit: config.password_reset_by_address,
            trusted_proxies: config.trusted_proxies.clone(),
            request_timeout: config.request_timeout,
            cors_origins: config.cors_origins.clone(),
        }))
    }
}

/// The application, ready to serve over TCP ([`crate::serve`]) or to call in-process.
pub struct App {
    pub router: Router,
    pub state: AppState,
}

/// Why the application could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Signing(#[from] SigningError),
}

/// Opens (and migrates) the configured database and builds the router.
pub async fn build(config: &Config) -> Result<App, BuildError> {
    let store = Store::open(&config.database, config.database_timeout).await?;
    build_with_store(config, store).await
}

/// Builds the router on an already opened store (loading the signing keys from it).
pub async fn build_with_store(config: &Config, store: Store) -> Result<App, BuildError> {
    let keys = KeyRing::open(store.clone(), config.token_signing, &config.secret, config.access_token_ttl).await?;
    let state = AppState::new(config, store, keys);
    Ok(App { router: crate::http::router(state.clone()), state })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DatabaseUrl, Secret};

    /// The desktop shell awaits `build` inside Tauri commands, which must be `Send`.
    #[test]
    fn building_is_a_send_future() {
        fn assert_send<T: Send>(_: &T) {}
        let config = Config::new(DatabaseUrl::Sqlite("unused.db".into()), Secret::generate());
        let future = build(&config);
        assert_send(&future);
    }
}
