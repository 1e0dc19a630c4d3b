//! Attempt limits. Their counters live in the database (sliding windows of timestamped attempts),
//! so several instances behind one database enforce one limit, and a restart forgets nothing.
//! Counting and recording are one atomic step ([`admit`]): concurrent requests cannot all read
//! "below the limit" before any of them is recorded.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

pub use crate::config::RateLimit;
use crate::store::{Store, StoreError};

/// A kind of counted attempt: its key in the database and how a refusal names it to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub key: &'static str,
    /// "login attempts", as in "Too many login attempts. Try again in 3 seconds."
    pub noun: &'static str,
    /// The account's lockout (failed checks of its password or codes), not a request rate.
    pub lockout: bool,
}

/// Every login attempt, by client address.
pub const LOGIN_BY_ADDRESS: Scope = Scope { key: "login-ip", noun: "login attempts", lockout: false };
/// Every registration attempt, by client address.
pub const REGISTER_BY_ADDRESS: Scope = Scope { key: "register-ip", noun: "sign-up attempts", lockout: false };
/// Password reset requests, by normalised email (whether or not an account has it).
pub const PASSWORD_RESETS_BY_EMAIL: Scope =
    Scope { key: "reset-email", noun: "password reset requests", lockout: false };
/// Password reset requests, by client address.
pub const PASSWORD_RESETS_BY_ADDRESS: Scope =
    Scope { key: "reset-ip", noun: "password reset requests", lockout: false };
/// Reset code confirmations (right or wrong), by client address.
pub const PASSWORD_RESET_CONFIRMS_BY_ADDRESS: Scope =
    Scope { key: "reset-confirm-ip", noun: "password reset attempts", lockout: false };
/// Reset code confirmations (right or wrong), by normalised email (whether or not an account has it).
pub const PASSWORD_RESET_CONFIRMS_BY_EMAIL: Scope =
    Scope { key: "reset-confirm-email", noun: "password reset attempts", lockout: false };
/// Verification codes mailed (registrations and resends), by normalised email (whether or not an
/// account has it).
pub const VERIFICATIONS_BY_EMAIL: Scope =
    Scope { key: "verify-email", noun: "verification code requests", lockout: false };
/// Verification tries and resends, by client address.
pub const VERIFICATIONS_BY_ADDRESS: Scope =
    Scope { key: "verify-ip", noun: "email verification attempts", lockout: false };
/// Registrations carrying an invitation code (right or wrong), by client address.
pub const INVITATION_TRIES_BY_ADDRESS: Scope =
    Scope { key: "invitation-ip", noun: "invitation attempts", lockout: false };
/// Single sign-on starts, by client address (with the sign-in limit's numbers).
pub const SSO_STARTS_BY_ADDRESS: Scope = Scope { key: "sso-ip", noun: "sign-in attempts", lockout: false };
/// Exports, by account.
pub const EXPORTS_BY_ACCOUNT: Scope = Scope { key: "export-user", noun: "exports", lockout: false };
/// Password checks by normalised email — whether or not such an account exists, so the lockout
/// itself reveals nothing about which accounts exist. A check reserves its place before the
/// password is verified, and a right password clears them all: what remains are failures.
pub const PASSWORD_CHECKS_BY_ACCOUNT: Scope = Scope { key: "login-failure", noun: "login attempts", lockout: true };
/// The same counter, for second-factor codes (at sign-in, and to turn the factor on or off).
pub const CODE_CHECKS_BY_ACCOUNT: Scope = Scope { noun: "code attempts", ..PASSWORD_CHECKS_BY_ACCOUNT };
/// The same counter, named for the password re-entered to change it or delete the account.
pub const PASSWORD_RECHECKS_BY_ACCOUNT: Scope = Scope { noun: "password attempts", ..PASSWORD_CHECKS_BY_ACCOUNT };

#[derive(Debug, thiserror::Error)]
pub enum LimitError {
    /// The window is full: try again after this long.
    #[error("too many {}; retry in {retry_after:?}", .scope.noun)]
    Limited { scope: Scope, retry_after: Duration },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn window(limit: RateLimit) -> TimeDelta {
    TimeDelta::from_std(limit.window).unwrap_or(TimeDelta::MAX)
}

/// Counters older than this are never consulted (windows are at most a day) and are pruned.
pub const KEEP: TimeDelta = TimeDelta::days(1);

/// Records an attempt under `key`, or refuses it when the window is full; counting and recording
/// are one atomic step across every instance on the database.
pub async fn admit(store: &Store, scope: Scope, key: &str, limit: RateLimit) -> Result<(), LimitError> {
    let now = crate::store::now();
    match store.try_attempt(scope.key, key, limit.max, now - window(limit), now).await? {
        Ok(()) => Ok(()),
        Err(oldest) => {
            #[cfg(feature = "metrics")]
            crate::metrics::limited(scope.key);
            Err(refused(scope, oldest, limit, now))
        }
    }
}

fn refused(scope: Scope, oldest: DateTime<Utc>, limit: RateLimit, now: DateTime<Utc>) -> LimitError {
    let retry_after = (oldest + window(limit) - now).to_std().unwrap_or(Duration::from_secs(1));
    LimitError::Limited { scope, retry_after }
}

/// Forgets every attempt under `key` (a right password forgives the failures before it).
pub async fn clear(store: &Store, scope: Scope, key: &str) -> Result<(), LimitError> {
    Ok(store.clear_attempts(scope.key, key).await?)
}

/// The key an address is counted under. IPv6 is counted per /64, the block one subscriber or host
/// usually holds (counting per address would give each one 2^64 buckets); an IPv4 address, also
/// one mapped into IPv6, by itself.
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_is_counted_per_64_and_ipv4_per_address() {
        let key = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), key("2001:db8:1:2::"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
