//! Access tokens with the original design's claims (`sub`, `iat`, `exp`): HS256 with
//! `BETTER_AUTH_SECRET` as it minted them, or EdDSA with the database's keys
//! (`AUTHDESK_TOKEN_SIGNING=eddsa`, [`super::signing`]).
//!
//! Verification pins the algorithm before anything else: a token that names another algorithm
//! (`none`, RS256 with our secret as a "public key", …) is refused without being interpreted, and
//! each algorithm is checked only with its own kind of key.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::Utc;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::signing::KeyRing;
use crate::config::Secret;

/// How far in the future `iat` may be before the token counts as forged (clock skew allowance).
const MAX_IAT_SKEW_SECS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// The session this token belongs to (absent in the original design's tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// What a verified token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedToken {
    pub user_id: Uuid,
    pub session_id: Option<Uuid>,
    pub issued_at: Option<i64>,
}

#[derive(Deserialize)]
struct LooseClaims {
    sub: Option<serde_json::Value>,
    exp: Option<serde_json::Value>,
    iat: Option<serde_json::Value>,
    sid: Option<serde_json::Value>,
}

/// Why a token was refused; `detail()` is the original design's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("expired-token")]
    Expired,
    #[error("invalid-signature")]
    InvalidSignature,
    #[error("malformed-token")]
    Malformed,
    #[error("invalid-token")]
    Invalid,
    /// The token's session was signed out (or the account signed out everywhere).
    #[error("revoked-token")]
    Revoked,
    /// An EdDSA token names a key not in hand: worth reloading the keys once before refusing.
    #[error("invalid-token")]
    UnknownKey,
}

impl TokenError {
    pub fn detail(self) -> String {
        format!("Token error: {self}")
    }
}

/// What EdDSA tokens — those other services verify through the JWKS — carry beyond the original
/// claims, from settings. HS256 tokens stay exactly as the original design's (python-jose refuses
/// an `aud` it did not ask for). Such a service cannot see a sign-out or a disabled account before
/// the token expires, hence a lifetime of their own, shorter than the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForOtherServices {
    pub issuer: Option<String>,
    pub audience: Option<String>,
    /// The lifetime of EdDSA access tokens; `None`: the access token lifetime.
    pub ttl: Option<Duration>,
}

#[derive(Serialize)]
struct EddsaClaims<'a> {
    #[serde(flatten)]
    claims: &'a Claims,
    #[serde(skip_serializing_if = "Option::is_none")]
    iss: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'a str>,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    eddsa_validation: Validation,
    /// The database's Ed25519 keys; `None`: HS256 only.
    ring: Option<Arc<KeyRing>>,
    ttl: Duration,
    others: ForOtherServices,
}

fn validation(algorithm: Algorithm) -> Validation {
    let mut validation = Validation::new(algorithm);
    validation.set_required_spec_claims(&["exp", "sub"]);
    // python-jose, which minted the original design's tokens, allows no leeway either.
    validation.leeway = 0;
    validation.validate_nbf = true;
    validation
}

impl TokenKeys {
    /// HS256 with `secret`, for tokens living `ttl`.
    pub fn new(secret: &Secret, ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.expose()),
            decoding: DecodingKey::from_secret(secret.expose()),
            validation: validation(Algorithm::HS256),
            eddsa_validation: validation(Algorithm::EdDSA),
            ring: None,
            ttl,
            others: ForOtherServices::default(),
        }
    }

    /// EdDSA tokens name `others`' issuer and audience (and an EdDSA token naming another is
    /// refused), and live `others.ttl`.
    pub fn for_other_services(mut self, others: ForOtherServices) -> Self {
        match &others.audience {
            Some(audience) => self.eddsa_validation.set_audience(&[audience]),
            None => self.eddsa_validation.validate_aud = false,
        }
        if let Some(issuer) = &others.issuer {
            self.eddsa_validation.set_issuer(&[issuer]);
        }
        self.others = others;
        self
    }

    /// Also verifies EdDSA tokens with `ring`'s keys, and signs with them if the ring signs.
    pub fn with_key_ring(mut self, ring: Arc<KeyRing>) -> Self {
        self.ring = Some(ring);
        self
    }

    pub fn key_ring(&self) -> Option<&Arc<KeyRing>> {
        self.ring.as_ref()
    }

    /// How long a token issued now lives.
    pub fn ttl(&self) -> Duration {
        match (&self.ring, self.others.ttl) {
            (Some(ring), Some(ttl)) if ring.signs() => ttl,
            _ => self.ttl,
        }
    }

    pub fn issue(&self, user_id: Uuid, session_id: Option<Uuid>) -> String {
        let now = Utc::now().timestamp();
        let claims = |ttl: Duration| Claims {
            sub: user_id.to_string(),
            iat: Some(now),
            exp: now + ttl.as_secs() as i64,
            sid: session_id.map(|s| s.to_string()),
        };
        if let Some(ring) = &self.ring {
            let claims = claims(self.others.ttl.unwrap_or(self.ttl));
            let (iss, aud) = (self.others.issuer.as_deref(), self.others.audience.as_deref());
            if let Some(token) = ring.sign(&EddsaClaims { claims: &claims, iss, aud }) {
                return token;
            }
        }
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims(self.ttl), &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }

    /// Verifies `token` and returns whom (and which session) it was issued to.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(TokenError::Malformed);
        };
        let header: serde_json::Value = URL_SAFE_NO_PAD
            .decode(header.trim_end_matches('='))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(TokenError::Malformed)?;
        let eddsa_keys;
        // Where an EdDSA token's verification is remembered (see `auth::verified`), and when.
        let mut remember_in = None;
        let (key, validation) = match header.get("alg").and_then(|alg| alg.as_str()) {
            Some("HS256") => (&self.decoding, &self.validation),
            Some("EdDSA") => {
                let kid = header.get("kid").and_then(|kid| kid.as_str()).ok_or(TokenError::Invalid)?;
                eddsa_keys = self.ring.as_ref().ok_or(TokenError::Invalid)?.verifying();
                let now = Utc::now().timestamp();
                if let Some(verified) = eddsa_keys.remembered(token, now) {
                    return Ok(verified);
                }
                let key = eddsa_keys.key(kid).ok_or(TokenError::UnknownKey)?;
                remember_in = Some((&eddsa_keys, now));
                (key, &self.eddsa_validation)
            }
            _ => return Err(TokenError::Invalid),
        };
        // Claims are read loosely here (presence and types were validated above by jsonwebtoken or
        // are checked below), so a missing or odd claim is "invalid", not "malformed".
        let claims = jsonwebtoken::decode::<LooseClaims>(token, key, validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::InvalidSignature => TokenError::InvalidSignature,
                ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Json(_) | ErrorKind::Utf8(_) => {
                    TokenError::Malformed
                }
                _ => TokenError::Invalid,
            })?
            .claims;
        let issued_at = match claims.iat {
            None | Some(serde_json::Value::Null) => None,
            Some(iat) => match iat.as_f64() {
                Some(iat) if iat <= (Utc::now().timestamp() + MAX_IAT_SKEW_SECS) as f64 => Some(iat as i64),
                _ => return Err(TokenError::Invalid),
            },
        };
        let user_id = claims
            .sub
            .as_ref()
            .and_then(|sub| sub.as_str())
            .and_then(|sub| Uuid::parse_str(sub).ok())
            .ok_or(TokenError::Invalid)?;
        let session_id = match claims.sid {
            None | Some(serde_json::Value::Null) => None,
            Some(sid) => Some(sid.as_str().and_then(|s| Uuid::parse_str(s).ok()).ok_or(TokenError::Invalid)?),
        };
        let verified = VerifiedToken { user_id, session_id, issued_at };
        if let (Some((keys, now)), Some(exp)) = (remember_in, claims.exp.and_then(|exp| exp.as_f64())) {
            keys.remember(token, verified, exp as i64, now);
        }
        Ok(verified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&Secret::new("k".repeat(32)).unwrap(), Duration::from_secs(3600))
    }

    fn sign(claims: &serde_json::Value, alg: Algorithm, secret: &[u8]) -> String {
        jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
    }

    #[test]
    fn round_trips_and_carries_the_original_claims() {
        let keys = keys();
        let id = Uuid::new_v4();
        let token = keys.issue(id, None);
        assert_eq!(keys.verify(&token).map(|v| v.user_id), Ok(id));
        let sid = Uuid::new_v4();
        assert_eq!(keys.verify(&keys.issue(id, Some(sid))).unwrap().session_id, Some(sid));
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["sub"], id.to_string());
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    }

    #[test]
    fn refuses_every_kind_of_bad_token() {
        let keys = keys();
        let secret = "k".repeat(32);
        let now = Utc::now().timestamp();
        let sub = Uuid::new_v4().to_string();
        let ok = serde_json::json!({"sub": sub, "iat": now, "exp": now + 60});
        assert!(keys.verify(&sign(&ok, Algorithm::HS256, secret.as_bytes())).is_ok());
        let bad_sid = serde_json::json!({"sub": sub, "iat": now, "exp": now + 60, "sid": 7});
        assert_eq!(keys.verify(&sign(&bad_sid, Algorithm::HS256, secret.as_bytes())), Err(TokenError::Invalid));

        let expired = serde_json::json!({"sub": sub, "iat": now - 120, "exp": now - 1});
        assert_eq!(keys.verify(&sign(&expired, Algorithm::HS256, secret.as_bytes())), Err(TokenError::Expired));
        assert_eq!(keys.verify(&sign(&ok, Algorithm::HS256, &[b'x'; 32])), Err(TokenError::InvalidSignature));
        assert_eq!(keys.verify(&sign(&ok, Algorithm::HS384, secret.as_bytes())), Err(TokenError::Invalid));
        let future = serde_json::json!({"sub": sub, "iat": now + 3600, "exp": now + 7200});
        assert_eq!(keys.verify(&sign(&future, Algorithm::HS256, secret.as_bytes())), Err(TokenError::Invalid));
        let no_exp = serde_json::json!({"sub": sub, "iat": now});
        assert_eq!(keys.verify(&sign(&no_exp, Algorithm::HS256, secret.as_bytes())), Err(TokenError::Invalid));
        let no_sub = serde_json::json!({"iat": now, "exp": now + 60});
        assert_eq!(keys.verify(&sign(&no_sub, Algorithm::HS256, secret.as_bytes())), Err(TokenError::Invalid));
        let bad_sub = serde_json::json!({"sub": "42", "exp": now + 60});
        assert_eq!(keys.verify(&sign(&bad_sub, Algorithm::HS256, secret.as_bytes())), Err(TokenError::Invalid));

        // alg "none": a header and payload with an empty signature.
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(ok.to_string());
        assert_eq!(keys.verify(&format!("{none_header}.{payload}.")), Err(TokenError::Invalid));

        // Tampering with the payload breaks the signature.
        let good = sign(&ok, Algorithm::HS256, secret.as_bytes());
        let mut parts: Vec<&str> = good.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::json!({"sub": Uuid::new_v4(), "exp": now + 60}).to_string());
        parts[1] = &forged;
        assert_eq!(keys.verify(&parts.join(".")), Err(TokenError::InvalidSignature));

        for garbage in ["", "abc", "a.b", "a.b.c.d", "!!!.???.***", "bm90IGpzb24.e30.sig"] {
            assert_eq!(keys.verify(garbage), Err(TokenError::Malformed), "{garbage:?}");
        }
    }
}
