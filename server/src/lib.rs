//! The authdesk auth server.
//!
//! Build the application with [`app::build`] from a [`Config`], then either serve it on a TCP
//! listener with [`serve::serve`] (the headless server) or call its `Router` in-process (the
//! desktop app's embedded server, which opens no port).
//!
//! # The original design
//!
//! "The original design" (in comments, docs and tests) is the FastAPI + Next.js "JWT auth" service
//! this server replaces: `POST /api/auth/register` answering 201, `POST /api/auth/login` answering a
//! bearer token, `{"detail": …}` errors with its exact 401 sentences, a 5/minute login limit, HS256
//! tokens signed with `BETTER_AUTH_SECRET` (python-jose), passlib bcrypt hashes, and its PostgreSQL
//! `users` table (`timestamp without time zone` columns). Its clients, tokens and databases keep
//! working here: the contract is kept exactly and only ever extended.
//!
//! # Layout
//!
//! - [`http`]: routes, extractors, and the one mapping of errors to responses; handlers only
//!   extract, call a service and answer.
//! - [`auth`]: the flows (register, login with its lockout, sessions and refresh rotation, password
//!   change, account deletion, the check of every authenticated request) over the store and the
//!   hasher, returning [`auth::AuthError`].
//! - [`rate_limit`]: the database-backed sliding windows behind the attempt limits, and the key a
//!   client address is counted under.
//! - [`prune`]: the background task deleting expired counters, tokens and sessions.
//! - [`store`]: one SQL layer (areas `users`, `sessions`, `attempts`, `tasks`) over two drivers,
//!   SQLite and PostgreSQL.

pub mod admin;
pub mod app;
pub mod auth;
pub mod config;
pub mod export;
pub mod http;
pub mod mail;
#[cfg(feature = "metrics")]
pub mod metrics;
pub mod prune;
pub mod rate_limit;
pub mod serve;
pub mod store;
pub mod tasks;

pub use app::{build, build_with_store, App, AppState, BuildError};
pub use config::{Config, ConfigError, DatabaseUrl, MailSettings, RateLimit, Secret, TokenSigning};
pub use serve::{serve, RunningServer, ShutdownHandle};
