//! Login limits. Their counters live in the database (sliding windows of timestamped attempts),
//! so several instances behind one database enforce one limit, and a restart forgets nothing.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::RateLimit;
use crate::store::{Store, StoreError};

/// Every login attempt, by client address.
pub const LOGIN_BY_ADDRESS: &str = "login-ip";
/// Failed password logins, by normalised email — whether or not such an account exists, so the
/// lockout itself reveals nothing about which accounts exist.
pub const FAILED_LOGIN_BY_ACCOUNT: &str = "login-failure";

#[derive(Debug, thiserror::Error)]
pub enum LimitError {
    /// The window is full: try again after this long.
    #[error("too many attempts; retry in {0:?}")]
    Limited(Duration),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn window(limit: RateLimit) -> TimeDelta {
    TimeDelta::from_std(limit.window).unwrap_or(TimeDelta::MAX)
}

fn limited(oldest: DateTime<Utc>, limit: RateLimit, now: DateTime<Utc>) -> LimitError {
    LimitError::Limited((oldest + window(limit) - now).to_std().unwrap_or(Duration::from_secs(1)))
}

/// Counters older than this are never consulted (windows are at most a day) and are deleted.
const KEEP: TimeDelta = TimeDelta::days(1);

/// Records an attempt under `key`, or refuses it when the window is full.
pub async fn admit(store: &Store, scope: &str, key: &str, limit: RateLimit) -> Result<(), LimitError> {
    let now = crate::store::now();
    // Keys seen once (a sprayed email, a passing address) would otherwise stay forever.
    store.prune_attempts(now - KEEP).await?;
    match store.try_attempt(scope, key, limit.max, now - window(limit), now).await? {
        Ok(()) => Ok(()),
        Err(oldest) => Err(limited(oldest, limit, now)),
    }
}

/// Refuses when `key` already has `limit.max` attempts in the window; records nothing.
/// Returns how many attempts the window holds.
pub async fn ensure_not_locked(store: &Store, scope: &str, key: &str, limit: RateLimit) -> Result<u32, LimitError> {
    let now = crate::store::now();
    match store.attempts(scope, key, now - window(limit)).await? {
        (count, Some(oldest)) if count >= limit.max => Err(limited(oldest, limit, now)),
        (count, _) => Ok(count),
    }
}
