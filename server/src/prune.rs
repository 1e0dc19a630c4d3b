//! The one background task that deletes what no request needs any more: attempt counters past
//! every window, refresh tokens past their expiry, sessions that ended, audit events past their
//! retention, signing keys whose last token has expired. It runs at start and then on a timer — never on the request path — and its deletes are bounded by time and idempotent, so
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
}

/// Deletes what expired before `now` (attempts: before every window; sessions: a day after they
/// ended, so a client returning soon still hears "signed out" rather than "invalid"; audit events:
/// after `audit_retention`; signing keys: once every token they signed, living `access_token_ttl`,
/// has expired).
pub async fn prune(
    store: &Store,
    now: DateTime<Utc>,
    audit_retention: Duration,
    access_token_ttl: Duration,
) -> StoreResult<Pruned> {
    Ok(Pruned {
        attempts: store.prune_attempts(now - KEEP).await?,
        sessions_and_tokens: store.prune_sessions(now - KEEP).await?,
        audit_events: store.prune_audit(now - TimeDelta::from_std(audit_retention).unwrap_or(TimeDelta::MAX)).await?,
        signing_keys: store.prune_signing_keys(retired_keys_cutoff(now, access_token_ttl)).await?,
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
pub fn spawn(store: Store, interval: Duration, audit_retention: Duration, access_token_ttl: Duration) -> Pruner {
    Pruner(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match prune(&store, crate::store::now(), audit_retention, access_token_ttl).await {
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
            "pruned"
        );
    }
}

fn log_failed(e: &crate::store::StoreError) {
    tracing::warn!(error = %e, "pruning failed; retrying at the next interval");
}
