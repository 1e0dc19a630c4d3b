//! The server's integration tests, one binary: each module is one area's stories over real HTTP,
//! a real SQLite file and a real PostgreSQL (see `common`). One binary links the server once.

#[macro_use]
mod common;

mod admin;
mod backup;
mod bad_input;
mod breached_passwords;
mod cli;
mod compat;
mod concurrency;
mod connections;
mod contract;
mod events;
// kill -9 and a graceful stop on SIGTERM: Unix process control (Windows has neither signal).
#[cfg(unix)]
mod crashes;
mod export;
mod faults;
mod import;
mod invitations;
mod login_limits;
mod lookalikes;
mod metrics;
mod mfa;
mod openapi;
mod password_reset;
mod persistence;
mod postgres_tls;
mod registration;
mod reset_confirmations;
mod secrets_at_rest;
mod services;
mod session_limits;
mod sessions;
mod sign_in_alerts;
mod signing_keys;
mod sso;
mod sync;
mod tasks;
