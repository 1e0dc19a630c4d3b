//! Building the application from a [`Config`]: open the store, build what the configuration
//! describes (the mailer, the key ring, the services, the background tasks), then the router. The
//! top layer: it may import every module, and none imports it.

use axum::Router;

use crate::admin::Admin;
use crate::auth::signing::{KeyRing, SigningError};
use crate::auth::{seal_existing, AtRestError, Auth, FactorKeys};
use crate::config::{Config, ConfigError, RegistrationMode};
use crate::http::state::{Background, Shared};
pub use crate::http::AppState;
use crate::mail::Mailer;
#[cfg(feature = "metrics")]
use crate::metrics::{self, Gauges};
use crate::prune::{self, Retention};
use crate::store::{Store, StoreError};
use crate::tasks::Tasks;

/// The application, ready to serve over TCP ([`crate::serve`]) or to call in-process.
pub struct App {
    pub router: Router,
    pub state: AppState,
}

impl App {
    #[cfg(feature = "metrics")]
    /// The metrics listener's router (`--metrics-bind`), its gauges read from this application.
    pub fn metrics_router(&self) -> Router {
        let state = self.state.clone();
        metrics::router(move || {
            let (hash_in_use, hash_waiting) = state.auth.hasher.queue_state();
            let pool = state.store.pool_state();
            Gauges { hash_in_use, hash_waiting, db_size: pool.size, db_in_use: pool.in_use, db_waiting: pool.waiting }
        })
    }
}

/// Why the application could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Signing(#[from] SigningError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    AtRest(#[from] AtRestError),
}

/// Opens (and migrates) the configured database and builds the router.
pub async fn build(config: &Config) -> Result<App, BuildError> {
    let store = Store::open(&config.database, config.database_timeout).await?;
    build_with_store(config, store).await
}

/// Builds the router on an already opened store (loading the signing keys from it).
pub async fn build_with_store(config: &Config, store: Store) -> Result<App, BuildError> {
    let keys = KeyRing::open(store.clone(), config.token_signing, &config.secret, config.access_token_ttl).await?;
    seal_existing(&store, &FactorKeys::new(&config.secret)).await?;
    let mailer = config.mail.as_ref().map(Mailer::new).transpose()?;
    if config.registration.mode == RegistrationMode::Verified && mailer.is_none() {
        return Err(ConfigError::VerificationWithoutMail.into());
    }
    if cfg!(not(feature = "sso")) && config.sso.is_some() {
        return Err(ConfigError::NotBuiltIn("single sign-on (AUTHDESK_OIDC_ISSUER)").into());
    }
    let state = AppState::from(Shared {
        background: Background {
            key_reloader: keys.spawn_reload(config.signing_keys_reload),
            pruner: prune::spawn(
                store.clone(),
                config.prune_interval,
                Retention {
                    audit_events: config.audit_retention,
                    access_tokens: config.access_token_ttl,
                    tombstones: config.tombstone_retention,
                    unverified_accounts: config.registration.unverified_account_ttl,
                },
            ),
        },
        auth: Auth::new(config, store.clone(), Some(keys), mailer.clone()),
        admin: Admin::new(store.clone()).with_mailer(mailer),
        tasks: Tasks::new(store.clone(), config.tombstone_retention),
        store,
        login_limit: config.login_rate_limit,
        register_limit: config.register_rate_limit,
        password_reset_limit: config.password_reset_by_address,
        password_reset_confirm_limit: config.password_reset_confirm_by_address,
        trusted_proxies: config.trusted_proxies.clone(),
        request_timeout: config.request_timeout,
        cors_origins: config.cors_origins.clone(),
        public_url: config.public_url.clone(),
        export_limit: config.export_limit,
        task_lists: Default::default(),
        event_streams: Default::default(),
        event_recheck: config.event_recheck,
    });
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
