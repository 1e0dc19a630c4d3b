//! The authdesk auth server.
//!
//! Build the application with [`app::build`] from a [`Config`], then either serve it on a TCP
//! listener with [`serve::serve`] (the headless server) or call its `Router` in-process (the
//! desktop app's embedded server, which opens no port).

pub mod app;
pub mod auth;
pub mod config;
pub mod http;
pub mod rate_limit;
pub mod serve;
pub mod store;

pub use app::{build, build_with_store, App, AppState};
pub use config::{Config, ConfigError, DatabaseUrl, RateLimit, Secret};
pub use serve::{serve, RunningServer, ShutdownHandle};
