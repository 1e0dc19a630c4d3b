//! The auth flows as services over the store and the hasher: registration, login with its
//! lockout and hash upgrade, sessions with refresh rotation, password change and reset, the
//! second factor, account deletion, and the check of every authenticated request. They return
//! [`AuthError`], a domain error; the HTTP layer only extracts, calls and maps (`http::error`).

mod accounts;
mod alerts;
pub mod audit;
mod breached;
mod codes;
mod error;
pub mod invitations;
mod mfa;
pub mod password;
pub mod refresh;
mod registration;
pub mod reset;
pub mod sealed;
mod sessions;
pub mod signing;
#[cfg(feature = "sso")]
pub mod sso;
pub mod token;
mod verified;

use std::sync::Arc;
use std::time::Duration;

use crate::config::{Config, RateLimit, Registration};
use crate::mail::Mailer;
use crate::store::Store;

pub use accounts::Credentials;
pub use audit::Context;
pub use breached::BreachedPasswords;
pub use error::AuthError;
pub use mfa::at_rest::{seal_existing, AtRestError};
pub use mfa::{FactorKeys, SecondFactor, TotpSetup};
pub use password::{HasherLimits, PasswordHasher};
pub use registration::Registered;
pub use sessions::Grant;
pub use signing::KeyRing;
pub use token::{Claims, ForOtherServices, TokenError, TokenKeys, VerifiedToken};

/// What the auth flows work with; cheap to clone.
#[derive(Clone)]
pub struct Auth {
    pub store: Store,
    pub hasher: PasswordHasher,
    /// New passwords seen in a breach are refused; `None`: not checked.
    pub breached: Option<BreachedPasswords>,
    pub tokens: TokenKeys,
    /// What second-factor secrets are sealed and recovery codes keyed with.
    pub factor_keys: FactorKeys,
    /// Failed password checks per account before its password checks pause.
    pub account_lockout: Option<RateLimit>,
    pub refresh_token_ttl: Duration,
    /// How long a just-spent refresh token still yields its successor.
    pub refresh_grace: Duration,
    /// Refreshes per session.
    pub refresh_limit: Option<RateLimit>,
    /// Sessions end this long after sign-in, however often they are refreshed.
    pub session_max_age: Duration,
    /// How long a sign-in waits for its second factor.
    pub mfa_token_ttl: Duration,
    /// Where reset codes are mailed from; `None`: no mail is sent.
    pub mailer: Option<Mailer>,
    /// Reset requests per email address.
    pub password_reset_by_email: Option<RateLimit>,
    pub password_reset_code_ttl: Duration,
    /// Reset code confirmations per email address.
    pub password_reset_confirm_by_email: Option<RateLimit>,
    /// A refused reset confirmation never answers sooner than this (as a failed password check),
    /// so the time tells a known address from an unknown one no better than the answer.
    pub failed_check_floor: Duration,
    /// Who may join.
    pub registration: Registration,
    /// Mail the owner on a sign-in from a client the account has not used (needs `mailer`).
    pub sign_in_alerts: bool,
    /// The single sign-on provider; `None`: off.
    #[cfg(feature = "sso")]
    pub sso: Option<Arc<sso::provider::Provider>>,
    /// What the server's PKCE verifiers are sealed with while a sign-in is at the provider.
    #[cfg(feature = "sso")]
    pub sso_seal: sealed::SealingKey,
}

impl Auth {
    /// The services over `store`, signing access tokens with `keys` when given.
    pub fn new(config: &Config, store: Store, keys: Option<Arc<KeyRing>>, mailer: Option<Mailer>) -> Self {
        let tokens = TokenKeys::new(&config.secret, config.access_token_ttl).for_other_services(ForOtherServices {
            issuer: config.token_issuer.clone(),
            audience: config.token_audience.clone(),
            ttl: config.eddsa_token_ttl,
        });
        Self {
            store,
            hasher: PasswordHasher::new(HasherLimits {
                concurrency: config.hash_concurrency,
                queue: config.hash_queue,
                failed_check_floor: config.failed_check_floor,
            }),
            breached: config.breached_passwords.as_deref().map(BreachedPasswords::new),
            tokens: match keys {
                Some(keys) => tokens.with_key_ring(keys),
                None => tokens,
            },
            factor_keys: FactorKeys::new(&config.secret),
            account_lockout: config.account_lockout,
            refresh_token_ttl: config.refresh_token_ttl,
            refresh_grace: config.refresh_grace,
            refresh_limit: config.refresh_rate_limit,
            session_max_age: config.session_max_age,
            mfa_token_ttl: config.mfa_token_ttl,
            password_reset_by_email: config.password_reset_by_email,
            password_reset_code_ttl: config.password_reset_code_ttl,
            password_reset_confirm_by_email: config.password_reset_confirm_by_email,
            failed_check_floor: config.failed_check_floor,
            registration: config.registration.clone(),
            sign_in_alerts: config.registration.sign_in_alerts.unwrap_or(true) && mailer.is_some(),
            mailer,
            #[cfg(feature = "sso")]
            sso: config.sso.clone().and_then(|settings| match sso::provider::Provider::new(settings) {
                Ok(provider) => Some(Arc::new(provider)),
                Err(e) => {
                    tracing::error!(error = %e, "single sign-on is off: its HTTP client could not be made");
                    None
                }
            }),
            #[cfg(feature = "sso")]
            sso_seal: sealed::SealingKey::derive(&config.secret, b"authdesk sso verifiers"),
        }
    }
}
