//! The signed-in session, owned by the shell and persisted in `session.json` (0600). The
//! webview never sees the token: it gets a [`SessionInfo`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Result;
use crate::settings::BackendSetting;
use crate::store::KeyValue;

const KEY: &str = "session";

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
    pub email: String,
    /// From the token's `exp` claim; `None` if the token does not say.
    pub expires_at: Option<DateTime<Utc>>,
    /// The backend that issued the token; a session never crosses backends.
    pub backend: BackendSetting,
    /// Trades for a new access token when this one expires or is refused (servers that predate
    /// refresh tokens send none).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("token", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .field("expires_at", &self.expires_at)
            .field("backend", &self.backend)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Session {
    pub fn new(token: String, user_id: Uuid, email: String, backend: BackendSetting) -> Self {
        let expires_at = token_expiry(&token);
        Self { token, user_id, email, expires_at, backend, refresh_token: None }
    }

    pub fn with_refresh_token(mut self, refresh_token: Option<String>) -> Self {
        self.refresh_token = refresh_token;
        self
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|exp| exp <= now)
    }
}

/// Reads the `exp` claim of a JWT without verifying it: only to avoid presenting a token the
/// server will refuse anyway. The server remains the judge.
pub fn token_expiry(token: &str) -> Option<DateTime<Utc>> {
    #[derive(Deserialize)]
    struct Exp {
        exp: i64,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let Exp { exp } = serde_json::from_slice(&bytes).ok()?;
    Utc.timestamp_opt(exp, 0).single()
}

pub struct SessionStore {
    store: Box<dyn KeyValue>,
}

impl SessionStore {
    pub fn new(store: Box<dyn KeyValue>) -> Self {
        Self { store }
    }

    pub fn load(&self) -> Option<Session> {
        self.store.get(KEY).and_then(|v| serde_json::from_value(v).ok())
    }

    pub fn save(&self, session: &Session) -> Result<()> {
        let value = serde_json::to_value(session).expect("a session always serialises");
        Ok(self.store.set(KEY, value)?)
    }

    pub fn clear(&self) -> Result<()> {
        Ok(self.store.delete(KEY)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_expiry_claim() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"x","exp":2000000000,"iat":1}"#);
        let token = format!("h.{payload}.s");
        assert_eq!(token_expiry(&token), Utc.timestamp_opt(2_000_000_000, 0).single());
        assert_eq!(token_expiry("garbage"), None);
    }

    #[test]
    fn debug_never_prints_the_token() {
        let s = Session::new("secret-token".into(), Uuid::nil(), "a@b.co".into(), BackendSetting::Embedded)
            .with_refresh_token(Some("secret-refresh".into()));
        assert!(!format!("{s:?}").contains("secret-token"));
        assert!(!format!("{s:?}").contains("secret-refresh"));
    }
}
