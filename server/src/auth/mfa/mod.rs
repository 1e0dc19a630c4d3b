//! The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, ±1 step of drift) with
//! single-use recovery codes, and the sign-in that waits for it.
//!
//! A password sign-in for an account with the factor on opens no session: it opens a challenge (a
//! random token, stored hashed, minutes long) that `verify` trades, with a current code or a
//! recovery code, for exactly what a sign-in grants. Every code check counts against the account's
//! lockout, an accepted time step is never accepted again, and turning the factor on ends every
//! other session (none of them passed it). Secrets are kept sealed and codes keyed ([`at_rest`]).

pub mod at_rest;

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::TimeDelta;
use rand::{Rng, RngCore};
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

use super::accounts::lockout_key;
use super::audit::{kind, Context};
use super::{refresh, Auth, AuthError, Grant};
use crate::rate_limit::CODE_CHECKS_BY_ACCOUNT;
use crate::store::{self, AuditEvent, MfaChallenge, UserRecord};
pub use at_rest::FactorKeys;
use serde_json::json;

const STEP_SECONDS: u64 = 30;
const DIGITS: usize = 6;
/// 160 bits, RFC 4226's recommendation.
const SECRET_BYTES: usize = 20;
const RECOVERY_CODES: usize = 10;
/// Codes a sign-in's challenge may be tried with; a right one spends it sooner.
const MAX_CHALLENGE_TRIES: i64 = 5;
/// Recovery codes: lower case without look-alikes (no 0/o, 1/l/i), two groups of five: ~49 bits.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// What a user offers as their second factor.
#[derive(Debug, Clone)]
pub enum SecondFactor {
    /// A 6-digit code from the authenticator app.
    Code(String),
    RecoveryCode(String),
}

impl SecondFactor {
    /// A code typed where either kind is accepted: six digits are an app code, anything else a
    /// recovery code.
    pub fn parse(typed: &str) -> Self {
        let trimmed = typed.trim();
        if trimmed.len() == DIGITS && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            SecondFactor::Code(trimmed.to_owned())
        } else {
            SecondFactor::RecoveryCode(trimmed.to_owned())
        }
    }
}

/// A new TOTP secret as the app enters it (base32) and the `otpauth://` URL a QR code carries.
pub struct TotpSetup {
    pub secret: String,
    pub otpauth_url: String,
}

fn totp(secret_base32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    Some(TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 1, STEP_SECONDS, bytes))
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The time step (the current one, or one either side) whose code `code` is. Every candidate is
/// compared, in constant time, so the timing tells nothing about which one matched.
fn matching_step(secret_base32: &str, code: &str, now: u64) -> Option<i64> {
    let totp = totp(secret_base32)?;
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = now / STEP_SECONDS;
    let mut matched = None;
    for step in [current.saturating_sub(1), current, current + 1] {
        if constant_time_eq(totp.generate(step * STEP_SECONDS).as_bytes(), code.as_bytes()) {
            matched = Some(step as i64);
        }
    }
    matched
}

pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `otpauth://totp/authdesk:<email>?secret=…&issuer=authdesk` (Google's key URI format).
fn otpauth_url(email: &str, secret: &str) -> String {
    let label: String = email
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("otpauth://totp/authdesk:{label}?secret={secret}&issuer=authdesk&algorithm=SHA1&digits=6&period=30")
}

fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => unreachable!("to_encoded returns an encoded secret"),
    }
}

/// Ten fresh codes (`abcde-fghjk`) and the hashes to store.
fn new_recovery_codes(keys: &FactorKeys) -> (Vec<String>, Vec<String>) {
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut pick = || RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char;
            let (a, b): (String, String) = ((0..5).map(|_| pick()).collect(), (0..5).map(|_| pick()).collect());
            format!("{a}-{b}")
        })
        .collect();
    let hashes = codes.iter().map(|c| keys.recovery_hash(c)).collect();
    (codes, hashes)
}

impl Auth {
    /// Starts setting up TOTP after the password is re-entered: a new secret, not yet active (a
    /// second setup replaces an unconfirmed one).
    pub async fn setup_totp(&self, user: &UserRecord, password: String, ctx: &Context) -> Result<TotpSetup, AuthError> {
        let event = ctx.event(kind::MFA_SETUP_STARTED).user(user.id, &user.email);
        if !self.recheck_password(user, password).await? {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_password" }))).await?;
            return Err(AuthError::WrongPassword);
        }
        let secret = new_secret();
        if !self.store.begin_totp_setup(user.id, &self.factor_keys.seal_totp(user.id, &secret)).await? {
            return Err(AuthError::MfaAlreadyOn);
        }
        self.store.record_audit(&event).await?;
        Ok(TotpSetup { otpauth_url: otpauth_url(&user.email, &secret), secret })
    }

    /// Turns TOTP on with the app's first code: every other session ends, and the recovery codes
    /// are returned this once.
    pub async fn enable_totp(
        &self,
        user: &UserRecord,
        keep: Option<Uuid>,
        code: &str,
        ctx: &Context,
    ) -> Result<Vec<String>, AuthError> {
        let event = ctx.event(kind::MFA_ENABLED).user(user.id, &user.email).session(keep);
        let factor =
            self.store.totp_factor(user.id).await?.unwrap_or(store::TotpFactor { secret: None, pending_secret: None });
        if factor.secret.is_some() {
            return Err(AuthError::MfaAlreadyOn);
        }
        let pending = factor.pending_secret.ok_or(AuthError::TotpNotSetUp)?;
        let secret = self.open_totp(user, &pending)?;
        self.reserve_attempt(CODE_CHECKS_BY_ACCOUNT, &lockout_key(&user.email)).await?;
        let Some(step) = matching_step(&secret, code, unix_now()) else {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_code" }))).await?;
            return Err(AuthError::CodeRejected);
        };
        let (codes, hashes) = new_recovery_codes(&self.factor_keys);
        let activation = store::TotpActivation { pending, step, recovery_hashes: hashes };
        if !self.store.enable_totp(user.id, activation, keep, store::now(), &event).await? {
            // Another setup replaced the secret meanwhile: this code was for the old one.
            return Err(AuthError::CodeRejected);
        }
        self.forgive_password_checks(user).await?;
        tracing::info!(user_id = %user.id, "two-factor authentication turned on; other sessions ended");
        Ok(codes)
    }

    /// Ten new recovery codes, with the password and a current code or an unused recovery code
    /// (spent); the old ones stop working. Without a code nothing changes: new codes turn the
    /// factor off, so the password alone must not get them.
    pub async fn regenerate_recovery_codes(
        &self,
        user: &UserRecord,
        password: String,
        code: Option<String>,
        ctx: &Context,
    ) -> Result<Vec<String>, AuthError> {
        let event = ctx.event(kind::MFA_RECOVERY_CODES_REGENERATED).user(user.id, &user.email);
        if !self.recheck_password(user, password).await? {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_password" }))).await?;
            return Err(AuthError::WrongPassword);
        }
        self.ensure_mfa_on(user).await?;
        let code = code.filter(|c| !c.trim().is_empty()).ok_or(AuthError::CodeRequired)?;
        self.check_second_factor(user, &code, &event).await?;
        let (codes, hashes) = new_recovery_codes(&self.factor_keys);
        self.store.replace_recovery_codes(user.id, hashes, &event).await?;
        Ok(codes)
    }

    /// Turns the factor off, with the password and a current code or a recovery code.
    pub async fn disable_totp(
        &self,
        user: &UserRecord,
        password: String,
        code: &str,
        ctx: &Context,
    ) -> Result<(), AuthError> {
        let event = ctx.event(kind::MFA_DISABLED).user(user.id, &user.email);
        if !self.recheck_password(user, password).await? {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_password" }))).await?;
            return Err(AuthError::WrongPassword);
        }
        self.ensure_mfa_on(user).await?;
        self.check_second_factor(user, code, &event).await?;
        self.store.disable_totp(user.id, &event).await?;
        tracing::info!(user_id = %user.id, "two-factor authentication turned off");
        Ok(())
    }

    /// Checks a current code or a recovery code (spending it) under the account's lockout, for a
    /// change to the factor; a wrong one is audited as `event` failed. Only a right code forgives
    /// the account's failed checks, as at sign-in.
    async fn check_second_factor(&self, user: &UserRecord, code: &str, event: &AuditEvent) -> Result<(), AuthError> {
        self.reserve_attempt(CODE_CHECKS_BY_ACCOUNT, &lockout_key(&user.email)).await?;
        if !self.second_factor_passes(user, SecondFactor::parse(code)).await? {
            self.store.record_audit(&event.clone().failed().details(json!({ "reason": "wrong_code" }))).await?;
            return Err(AuthError::CodeRejected);
        }
        self.forgive_password_checks(user).await
    }

    async fn ensure_mfa_on(&self, user: &UserRecord) -> Result<(), AuthError> {
        match self.store.totp_factor(user.id).await? {
            Some(store::TotpFactor { secret: Some(_), .. }) => Ok(()),
            _ => Err(AuthError::MfaOff),
        }
    }

    /// Whether `user` must pass a second factor to sign in.
    pub(super) async fn mfa_enabled(&self, user: &UserRecord) -> Result<bool, AuthError> {
        Ok(matches!(self.store.totp_factor(user.id).await?, Some(store::TotpFactor { secret: Some(_), .. })))
    }

    /// Opens the challenge a sign-in with the right password gets when the account has a second
    /// factor; the error carries its token. `None` when the password changed meanwhile.
    pub(super) async fn challenge_second_factor(
        &self,
        user: &UserRecord,
        ctx: &Context,
        upgraded: Option<String>,
    ) -> Result<AuthError, AuthError> {
        let client = &ctx.client;
        let (token, token_hash) = refresh::generate();
        let challenge = MfaChallenge {
            token_hash,
            user_id: user.id,
            label: client.to_owned(),
            expires_at: store::now() + TimeDelta::from_std(self.mfa_token_ttl).unwrap_or(TimeDelta::MAX),
            spent_at: None,
        };
        let audit = ctx.event(kind::MFA_REQUIRED).user(user.id, &user.email);
        if !self.store.open_mfa_challenge(&challenge, &user.password_hash, upgraded, &audit).await? {
            return Err(AuthError::BadCredentials);
        }
        Ok(AuthError::MfaRequired { mfa_token: token })
    }

    /// Trades a sign-in's challenge and a second factor for what the sign-in grants.
    pub async fn verify_second_factor(
        &self,
        mfa_token: &str,
        factor: SecondFactor,
        ctx: &Context,
    ) -> Result<Grant, AuthError> {
        let token_hash = refresh::hash(mfa_token.trim());
        let now = store::now();
        // The try is taken before the code is checked: the fifth wrong code spends the challenge
        // however many arrive at once.
        let challenge = self
            .store
            .take_mfa_challenge_try(&token_hash, MAX_CHALLENGE_TRIES, now)
            .await?
            .ok_or(AuthError::MfaExpired)?;
        let user = self.store.user_by_id(challenge.user_id).await?.ok_or(AuthError::MfaExpired)?;
        if user.disabled_at.is_some() {
            return Err(AuthError::AccountDisabled);
        }
        self.reserve_attempt(CODE_CHECKS_BY_ACCOUNT, &lockout_key(&user.email)).await?;
        let method = match factor {
            SecondFactor::Code(_) => "totp",
            SecondFactor::RecoveryCode(_) => "recovery_code",
        };
        if !self.second_factor_passes(&user, factor).await? {
            let failed = ctx.event(kind::MFA_FAILED).user(user.id, &user.email).failed();
            self.store.record_audit(&failed.details(json!({ "method": method }))).await?;
            return Err(AuthError::SecondFactorRejected);
        }
        if !self.store.spend_mfa_challenge(&token_hash, now).await? {
            return Err(AuthError::MfaExpired);
        }
        self.forgive_password_checks(&user).await?;
        // The session is labelled as the sign-in's first step asked.
        let ctx = Context { client: challenge.label.clone(), ..ctx.clone() };
        let succeeded = ctx.event(kind::LOGIN_SUCCEEDED).details(json!({ "method": method }));
        let grant = self.start_session(&user, &ctx, None, succeeded).await?.ok_or(AuthError::MfaExpired)?;
        tracing::info!(user_id = %user.id, "user logged in with a second factor");
        Ok(grant)
    }

    /// The user's stored TOTP secret, opened. A secret sealed with another server secret is the
    /// operator's mistake (the start-up check refuses it), never the user's.
    fn open_totp(&self, user: &UserRecord, stored: &str) -> Result<String, AuthError> {
        self.factor_keys.open_totp(user.id, stored).ok_or_else(|| {
            AuthError::Store(store::StoreError::Other(
                "a two-factor secret sealed with another BETTER_AUTH_SECRET".into(),
            ))
        })
    }

    /// Checks a code (never accepting a time step twice) or spends a recovery code.
    async fn second_factor_passes(&self, user: &UserRecord, factor: SecondFactor) -> Result<bool, AuthError> {
        Ok(match factor {
            SecondFactor::Code(code) => {
                let Some(sealed) = self.store.totp_factor(user.id).await?.and_then(|f| f.secret) else {
                    return Ok(false);
                };
                match matching_step(&self.open_totp(user, &sealed)?, &code, unix_now()) {
                    Some(step) => self.store.use_totp_step(user.id, step).await?,
                    None => false,
                }
            }
            SecondFactor::RecoveryCode(code) => {
                let hash = self.factor_keys.recovery_hash(&code);
                self.store.use_recovery_code(user.id, &hash, store::now()).await?
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_the_steps_either_side_only() {
        let secret = new_secret();
        assert!(secret.len() >= 32, "at least 160 bits in base32: {secret}");
        let t = totp(&secret).unwrap();
        let now = 1_700_000_015;
        let step = (now / 30) as i64;
        assert_eq!(matching_step(&secret, &t.generate(now), now), Some(step));
        assert_eq!(matching_step(&secret, &t.generate(now - 30), now), Some(step - 1));
        assert_eq!(matching_step(&secret, &t.generate(now + 30), now), Some(step + 1));
        assert_eq!(matching_step(&secret, &t.generate(now - 60), now), None);
        assert_eq!(matching_step(&secret, &t.generate(now + 60), now), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_random_and_read_loosely() {
        let keys = FactorKeys::new(&crate::config::Secret::generate());
        let (codes, hashes) = new_recovery_codes(&keys);
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'), "{codes:?}");
        assert_eq!(hashes[0], keys.recovery_hash(&codes[0].to_uppercase().replace('-', " ")));
        assert_ne!(hashes[0], hashes[1]);
        assert!(matches!(SecondFactor::parse(" 123456 "), SecondFactor::Code(c) if c == "123456"));
        assert!(matches!(SecondFactor::parse(&codes[0]), SecondFactor::RecoveryCode(_)));
    }

    #[test]
    fn the_otpauth_url_names_the_issuer_and_account() {
        assert_eq!(
            otpauth_url("ann+x@example.com", "ABC"),
            "otpauth://totp/authdesk:ann%2Bx@example.com?secret=ABC&issuer=authdesk&algorithm=SHA1&digits=6&period=30"
        );
    }
}
