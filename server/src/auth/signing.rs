//! Ed25519 signing keys (`AUTHDESK_TOKEN_SIGNING=eddsa`): other services verify our access tokens
//! with the public keys at `/.well-known/jwks.json`, holding no secret of ours.
//!
//! The keys live in the database, shared by every instance: public keys in the clear, private keys
//! sealed (see [`super::sealed`]; the kid as associated data, so a sealed key cannot be passed off
//! as another). Each instance holds them
//! in a [`KeyRing`], reloaded every reload interval and when a token names a key it does not know.
//!
//! A rotation adds the next generation, starting one reload interval plus one JWKS cache lifetime
//! later ([`DEFAULT_PROMOTE_AFTER`]): by then every instance publishes it and every cache that
//! honours `Cache-Control` holds it. From that instant every instance signs with it; the previous
//! key verifies until the last token it signed has expired, then the pruner deletes it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use authdesk_contract::{Jwk, Jwks};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;

use super::sealed::SealingKey;
use super::token::VerifiedToken;
use super::verified::VerifiedCache;
use crate::config::{Secret, TokenSigning};
use crate::store::{self, AuditEvent, SigningKeyRecord, Store, StoreError};

/// The JWS algorithm of these keys (RFC 8037).
pub const ALGORITHM: &str = "EdDSA";
/// How long a client may cache the key set (`Cache-Control: max-age` of the JWKS).
pub const JWKS_MAX_AGE: Duration = Duration::from_secs(600);
/// How often an instance reloads the keys by default.
/// How long after a rotation the new key starts signing by default: every instance has loaded it
/// (one reload interval) and every JWKS cache has since expired (one cache lifetime).
pub const DEFAULT_PROMOTE_AFTER: Duration = Duration::from_secs(60 + 600);
/// The longest a rotation may schedule its key ahead.
const MAX_PROMOTE_AFTER: TimeDelta = TimeDelta::days(30);
/// A token naming an unknown key reloads the keys at most this often: random kids cost the
/// database one query a second, not one a request.
const UNKNOWN_KEY_RELOAD: Duration = Duration::from_secs(1);
/// Access tokens' `iat` may be this far in the future; a retired key verifies this much longer.
const CLOCK_SKEW: TimeDelta = TimeDelta::seconds(60);

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "signing key {0} cannot be opened with this BETTER_AUTH_SECRET: it was sealed with another one. Use the \
         secret the other instances use."
    )]
    WrongSecret(String),
    #[error("signing key {kid} is already waiting to start signing at {at}; rotate again after that")]
    RotationPending { kid: String, at: DateTime<Utc> },
    #[error("another rotation added key generation {0} at the same time; run it again if a new key is still wanted")]
    Raced(i64),
    #[error("the database holds no signing key that may sign now")]
    NoCurrentKey,
    #[error("the system's random number generator failed")]
    Random,
    #[error("a new key may wait at most 30 days to start signing")]
    PromoteTooLate,
}

/// The key that seals private keys, derived from the secret (never the secret itself).
fn sealing_key(secret: &Secret) -> SealingKey {
    SealingKey::derive(secret, b"authdesk signing keys")
}

/// A private key sealed to its kid (see [`super::sealed`]).
fn seal(secret: &Secret, kid: &str, plain: &[u8]) -> String {
    sealing_key(secret).seal(kid.as_bytes(), plain)
}

fn open(secret: &Secret, kid: &str, sealed: &str) -> Result<Vec<u8>, SigningError> {
    sealing_key(secret).open(kid.as_bytes(), sealed).ok_or_else(|| SigningError::WrongSecret(kid.to_owned()))
}

/// The RFC 7638 thumbprint of an Ed25519 public key: SHA-256 over its required members, in order.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// A new key of `generation`, sealed with `secret`, to start signing at `activates_at`.
pub fn new_key(
    secret: &Secret,
    generation: i64,
    activates_at: DateTime<Utc>,
) -> Result<SigningKeyRecord, SigningError> {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| SigningError::Random)?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|_| SigningError::Random)?;
    let x = URL_SAFE_NO_PAD.encode(pair.public_key().as_ref());
    let kid = thumbprint(&x);
    Ok(SigningKeyRecord {
        private_key: seal(secret, &kid, pkcs8.as_ref()),
        kid,
        generation,
        algorithm: ALGORITHM.into(),
        public_key: x,
        created_at: store::now(),
        activates_at,
    })
}

/// Where a key is in its life, for `admin keys list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Published, not signing yet.
    Next,
    Current,
    /// No longer signing; verifying until the given instant.
    Previous(DateTime<Utc>),
}

/// The state of each key in `keys` (oldest generation first) at `now`, with access tokens living
/// `access_ttl`; retired keys are left out.
pub fn key_states(
    keys: &[SigningKeyRecord],
    now: DateTime<Utc>,
    access_ttl: Duration,
) -> Vec<(SigningKeyRecord, KeyState)> {
    let ttl = TimeDelta::from_std(access_ttl).unwrap_or(TimeDelta::MAX);
    let current = keys.iter().rposition(|k| k.activates_at <= now);
    keys.iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let state = match current {
                Some(c) if i == c => KeyState::Current,
                Some(c) if i < c => KeyState::Previous(keys[i + 1].activates_at + ttl + CLOCK_SKEW),
                _ => KeyState::Next,
            };
            match state {
                KeyState::Previous(until) if until <= now => None,
                state => Some((key.clone(), state)),
            }
        })
        .collect()
}

/// Until when a token signed now may be verified by a key retired now: what the pruner waits.
pub fn retired_keys_cutoff(now: DateTime<Utc>, access_ttl: Duration) -> DateTime<Utc> {
    now - TimeDelta::from_std(access_ttl).unwrap_or(TimeDelta::MAX) - CLOCK_SKEW
}

struct Signer {
    kid: String,
    activates_at: DateTime<Utc>,
    key: EncodingKey,
}

/// The keys as loaded at one instant.
#[derive(Default)]
struct KeySet {
    verifying: HashMap<String, DecodingKey>,
    published: Vec<Jwk>,
    /// The current key and the next, oldest first; empty unless this instance signs with them.
    signers: Vec<Signer>,
    /// Tokens verified with these keys (a reload starts afresh).
    verified: VerifiedCache,
}

impl KeySet {
    fn build(
        keys: &[SigningKeyRecord],
        now: DateTime<Utc>,
        access_ttl: Duration,
        secret: Option<&Secret>,
    ) -> Result<Self, SigningError> {
        let mut set = KeySet::default();
        for (key, state) in key_states(keys, now, access_ttl) {
            if key.algorithm != ALGORITHM {
                continue;
            }
            let decoding = DecodingKey::from_ed_components(&key.public_key)
                .map_err(|e| StoreError::Other(format!("signing key {} has a malformed public key: {e}", key.kid)))?;
            set.verifying.insert(key.kid.clone(), decoding);
            set.published.push(Jwk {
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                x: key.public_key.clone(),
                kid: key.kid.clone(),
                alg: ALGORITHM.into(),
                key_use: "sig".into(),
            });
            if let (Some(secret), KeyState::Current | KeyState::Next) = (secret, state) {
                let private = open(secret, &key.kid, &key.private_key)?;
                set.signers.push(Signer {
                    kid: key.kid.clone(),
                    activates_at: key.activates_at,
                    key: EncodingKey::from_ed_der(&private),
                });
            }
        }
        Ok(set)
    }

    fn signer(&self, now: DateTime<Utc>) -> Option<&Signer> {
        self.signers.iter().rev().find(|s| s.activates_at <= now)
    }
}

/// This instance's copy of the keys; shared by every request.
pub struct KeyRing {
    store: Store,
    /// Set when this instance signs with the keys (and so opens their private halves).
    signing_secret: Option<Secret>,
    access_ttl: Duration,
    set: RwLock<Arc<KeySet>>,
    /// When the keys were last loaded; held while loading, so loads never overlap.
    loaded_at: tokio::sync::Mutex<Instant>,
}

impl KeyRing {
    /// Loads the keys; when this instance signs with EdDSA, first creates the first key if the
    /// database has none (instances starting together create one: the generation is unique).
    pub async fn open(
        store: Store,
        signing: TokenSigning,
        secret: &Secret,
        access_ttl: Duration,
    ) -> Result<Arc<Self>, SigningError> {
        let signing_secret = (signing == TokenSigning::EdDsa).then(|| secret.clone());
        if signing_secret.is_some() && store.signing_keys().await?.is_empty() {
            store.add_signing_key(&new_key(secret, 1, store::now())?, None).await?;
        }
        let ring = Self {
            store,
            signing_secret,
            access_ttl,
            set: RwLock::default(),
            loaded_at: tokio::sync::Mutex::new(Instant::now()),
        };
        ring.load().await?;
        Ok(Arc::new(ring))
    }

    async fn load(&self) -> Result<(), SigningError> {
        let keys = self.store.signing_keys().await?;
        let set = KeySet::build(&keys, store::now(), self.access_ttl, self.signing_secret.as_ref())?;
        // A signing instance never trades keys it can sign with for a set it cannot.
        if self.signing_secret.is_some() && set.signer(store::now()).is_none() {
            return Err(SigningError::NoCurrentKey);
        }
        *self.set.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(set);
        Ok(())
    }

    fn snapshot(&self) -> Arc<KeySet> {
        self.set.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reloads now; on failure the keys in hand stay.
    pub async fn reload(&self) -> Result<(), SigningError> {
        let mut loaded_at = self.loaded_at.lock().await;
        self.load().await?;
        *loaded_at = Instant::now();
        Ok(())
    }

    /// Reloads, unless that happened within the last second: a token names a key not in hand
    /// (another instance started signing with a key this one has not loaded yet).
    pub async fn reload_for_unknown_key(&self) {
        let mut loaded_at = self.loaded_at.lock().await;
        if loaded_at.elapsed() >= UNKNOWN_KEY_RELOAD {
            match self.load().await {
                Ok(()) => *loaded_at = Instant::now(),
                Err(e) => tracing::warn!(error = %e, "reloading the signing keys failed"),
            }
        }
    }

    /// Whether [`KeyRing::sign`] signs now.
    pub fn signs(&self) -> bool {
        self.signing_secret.is_some() && self.snapshot().signer(store::now()).is_some()
    }

    /// `claims` signed with the current key; `None` when this instance does not sign with EdDSA.
    pub fn sign(&self, claims: &impl Serialize) -> Option<String> {
        self.signing_secret.as_ref()?;
        let set = self.snapshot();
        let signer = set.signer(store::now())?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(signer.kid.clone());
        Some(jsonwebtoken::encode(&header, claims, &signer.key).expect("Ed25519 signing of plain claims cannot fail"))
    }

    /// The keys in hand, for verifying one token: the key it names and what these keys already
    /// verified come from one loaded set, so nothing is remembered for a set a reload replaced.
    pub fn verifying(&self) -> Verifying {
        Verifying(self.snapshot())
    }

    /// The public keys: the next one, the current one, and those still verifying.
    pub fn jwks(&self) -> Jwks {
        Jwks { keys: self.snapshot().published.clone() }
    }

    /// Reloads every `every` until dropped.
    pub fn spawn_reload(self: &Arc<Self>, every: Duration) -> Reloader {
        let ring = Arc::clone(self);
        Reloader(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                if let Err(e) = ring.reload().await {
                    tracing::warn!(error = %e, "reloading the signing keys failed; keeping the keys in hand");
                }
            }
        }))
    }
}

/// One loaded key set, as [`KeyRing::verifying`] hands it out.
pub struct Verifying(Arc<KeySet>);

impl Verifying {
    /// The public key named `kid`, if in hand.
    pub fn key(&self, kid: &str) -> Option<&DecodingKey> {
        self.0.verifying.get(kid)
    }

    /// What `token` was verified as with these keys, if it was and has not expired by `now`.
    pub fn remembered(&self, token: &str, now: i64) -> Option<VerifiedToken> {
        self.0.verified.get(token, now)
    }

    /// Remembers that `token` verified as `verified` until `exp` (see `auth::verified`).
    pub fn remember(&self, token: &str, verified: VerifiedToken, exp: i64, now: i64) {
        self.0.verified.insert(token, verified, exp, now);
    }
}

/// The running reload task; dropping it stops it.
pub struct Reloader(JoinHandle<()>);

impl Drop for Reloader {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Adds the next key, to start signing `promote_after` from now (at once if it is the first),
/// sealed with `secret` — which must open the keys already there, or the instances could not.
pub async fn rotate(
    store: &Store,
    secret: &Secret,
    promote_after: Duration,
    audit: AuditEvent,
) -> Result<SigningKeyRecord, SigningError> {
    let keys = store.signing_keys().await?;
    let now = store::now();
    if let Some(last) = keys.last() {
        open(secret, &last.kid, &last.private_key)?;
        if last.activates_at > now {
            return Err(SigningError::RotationPending { kid: last.kid.clone(), at: last.activates_at });
        }
    }
    let generation = keys.last().map_or(1, |k| k.generation + 1);
    let activates_at = if keys.is_empty() {
        now
    } else {
        let wait = TimeDelta::from_std(promote_after).ok().filter(|d| *d <= MAX_PROMOTE_AFTER);
        now + wait.ok_or(SigningError::PromoteTooLate)?
    };
    let key = new_key(secret, generation, activates_at)?;
    let audit = audit.details(serde_json::json!({
        "kid": key.kid,
        "generation": generation,
        "activates_at": activates_at,
    }));
    if !store.add_signing_key(&key, Some(&audit)).await? {
        return Err(SigningError::Raced(generation));
    }
    Ok(key)
}

#[cfg(test)]
mod tests;
