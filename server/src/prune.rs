//! The one background task that deletes what no request needs any more: attempt counters past
//! every window, refresh tokens past their expiry, sessions that ended, audit events past their
//! retention, signing keys whose last token has expired, task tombstones past the sync window. It
//! runs at start and then on a timer — never on the request path — and its deletes are bounded by time and idempotent, so
//! several instances on one database can run it at once without harm.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::task::JoinHandle;

use crate::auth::signing::retired_keys_cutoff;
use crate::rate_limit::KEEP;
use crate::store::{Store, StoreResult};

/// What one pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub attempts: u64,
    pub sessions_and_tokens: u64,
    pub audit_events: u64,
    pub signing_keys: u64,
    pub tombstones: u64,
    /// Accounts never verified, invitations never used, single sign-ons never finished, past
    /// their time.
    pub registrations: u64,
}

/// How long each kind of row is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub audit_events: Duration,
    /// Access tokens' lifetime: a retired signing key is kept this long.
    pub access_tokens: Duration,
    /// Deleted tasks' tombstones (and so sync cursors).
    pub tombstones: Duration,
    /// Accounts registered on a `verified` server and never verified.
    pub unverified_accounts: Duration,
}

fn ago(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    now - TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// Deletes what expired before `now` (attempts: before every window; sessions: a day after they
/// ended, so a client returning soon still hears "signed out" rather than "invalid"; audit events:
/// after their retention; signing keys: once every token they signed has expired; tombstones:
/// after the sync window; accounts never verified: after their time; invitations and single
/// sign-on round trips and codes: once expired).
pub async fn prune(store: &Store, now: DateTime<Utc>, keep: Retention) -> StoreResult<Pruned> {
    Ok(Pruned {
        attempts: store.prune_attempts(now - KEEP).await?,
        sessions_and_tokens: store.prune_sessions(now - KEEP).await?,
        audit_events: store.prune_audit(ago(now, keep.audit_events)).await?,
        signing_keys: store.prune_signing_keys(retired_keys_cutoff(now, keep.access_tokens)).await?,
        tombstones: store.prune_tombstones(ago(now, keep.tombstones)).await?,
        registrations: store.prune_pending(ago(now, keep.unverified_accounts)).await?
            + store.prune_invitations(now).await?
            + store.prune_sso(now).await?,
    })
}

/// The running task; dropping it stops it (with the application that owns it).
pub struct Pruner(JoinHandle<()>);

impl Drop for Pruner {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts pruning `store` now and every `interval`. Failures are logged and retried next time.
pub fn spawn(store: Store, interval: Duration, keep: Retention) -> Pruner {
    Pruner(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match prune(&store, crate::store::now(), keep).await {
                Ok(pruned) => log_pruned(pruned),
                Err(e) => log_failed(&e),
            }
        }
    }))
}

fn log_pruned(pruned: Pruned) {
    if pruned != Pruned::default() {
        tracing::info!(
            attempts = pruned.attempts,
            sessions_and_tokens = pruned.sessions_and_tokens,
            audit_events = pruned.audit_events,
            signing_keys = pruned.signing_keys,
            tombstones = pruned.tombstones,
            registrations = pruned.registrations,
            "pruned"
        );
    }
}

fn log_failed(e: &crate::store::StoreError) {
    tracing::warn!(error = %e, "pruning failed; retrying at the next interval");
}
