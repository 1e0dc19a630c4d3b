//! Building the application from a [`Config`]: open the store, then assemble the router.

use std::ops::Deref;
use std::sync::Arc;

use axum::Router;

use crate::auth::Auth;
use crate::config::{Config, RateLimit};
use crate::store::{Store, StoreError};

/// What every handler shares: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub store: Store,
    pub auth: Auth,
    /// Login attempts per client address (an HTTP concern: the address is the TCP peer's).
    pub login_limit: Option<RateLimit>,
    pub cors_origins: Vec<String>,
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(config: &Config, store: Store) -> Self {
        Self(Arc::new(Shared {
            auth: Auth::new(config, store.clone()),
            store,
            login_limit: config.login_rate_limit,
            cors_origins: config.cors_origins.clone(),
        }))
    }
}

/// The application, ready to serve over TCP ([`crate::serve`]) or to call in-process.
pub struct App {
    pub router: Router,
    pub state: AppState,
}

/// Opens (and migrates) the configured database and builds the router.
pub async fn build(config: &Config) -> Result<App, StoreError> {
    let store = Store::open(&config.database).await?;
    Ok(build_with_store(config, store))
}

/// Builds the router on an already opened store.
pub fn build_with_store(config: &Config, store: Store) -> App {
    let state = AppState::new(config, store);
    App { router: crate::http::router(state.clone()), state }
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
