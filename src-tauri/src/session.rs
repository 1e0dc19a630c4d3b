//! The signed-in session, owned by the shell and persisted in `session.json` (0600). The
//! webview never sees the token: it gets a [`SignedInUser`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use std::sync::{Mutex, PoisonError};

use authdesk_contract::desktop::{ServerChoice, SignedInUser};

use crate::files::KeyValueFile;
use crate::secrets::SecretSlot;
use crate::Result;

const KEY: &str = "session";

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
    pub email: String,
    /// From the token's `exp` claim; `None` if the token does not say.
    pub expires_at: Option<DateTime<Utc>>,
    /// The server that issued the token; a session never crosses servers.
    pub server: ServerChoice,
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
            .field("server", &self.server)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Session {
    pub fn new(token: String, user_id: Uuid, email: String, server: ServerChoice) -> Self {
        let expires_at = token_expiry(&token);
        Self { token, user_id, email, expires_at, server, refresh_token: None }
    }

    pub fn with_refresh_token(mut self, refresh_token: Option<String>) -> Self {
        self.refresh_token = refresh_token;
        self
    }

    /// What the webview may know of it: who is signed in, never the token.
    pub fn user(&self) -> SignedInUser {
        SignedInUser { user_id: self.user_id, email: self.email.clone(), expires_at: self.expires_at }
    }

    /// Expired, or absent (after a relaunch the access token is not known until a refresh).
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.token.is_empty() || self.expires_at.is_some_and(|exp| exp <= now)
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

/// What goes to disk: who is signed in, and the refresh token unless the keychain holds it. The
/// access token is written only for servers that issue no refresh token (the original design's),
/// which would otherwise sign the user out at every launch; else it stays in memory. The field
/// names are those of earlier versions, so their session files still load.
#[derive(Serialize, Deserialize)]
struct OnDisk {
    user_id: Uuid,
    email: String,
    #[serde(rename = "backend")]
    server: ServerChoice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

/// Keeps the session: who is signed in in `session.json`, the refresh token in the keychain (or
/// that file), the access token in memory.
pub struct SessionKeeper {
    file: Box<dyn KeyValueFile>,
    secrets: Option<Box<dyn SecretSlot>>,
    /// The current access token: memory only.
    access: Mutex<Option<String>>,
}

impl SessionKeeper {
    pub fn new(file: Box<dyn KeyValueFile>) -> Self {
        Self { file, secrets: None, access: Mutex::new(None) }
    }

    /// Keeps refresh tokens in `secrets` (the OS keychain) instead of the session file.
    pub fn with_secrets(mut self, secrets: Option<Box<dyn SecretSlot>>) -> Self {
        self.secrets = secrets;
        self
    }

    /// Where the refresh token is kept, for Settings.
    pub fn token_storage(&self) -> &'static str {
        self.secrets.as_ref().map_or(crate::secrets::IN_DATA_FOLDER, |s| s.describe())
    }

    pub fn load(&self) -> Option<Session> {
        let on_disk: OnDisk = self.file.get(KEY).and_then(|v| serde_json::from_value(v).ok())?;
        let refresh_token = on_disk.refresh_token.or_else(|| self.secrets.as_ref().and_then(|s| s.get()));
        // After a relaunch there is no access token until the first refresh (see `is_expired`).
        let token =
            self.access.lock().unwrap_or_else(PoisonError::into_inner).clone().or(on_disk.token).unwrap_or_default();
        Some(Session::new(token, on_disk.user_id, on_disk.email, on_disk.server).with_refresh_token(refresh_token))
    }

    pub fn save(&self, session: &Session) -> Result<()> {
        *self.access.lock().unwrap_or_else(PoisonError::into_inner) = Some(session.token.clone());
        let in_keychain = match (&self.secrets, &session.refresh_token) {
            (Some(secrets), Some(refresh)) => secrets.set(refresh),
            _ => false,
        };
        let on_disk = OnDisk {
            user_id: session.user_id,
            email: session.email.clone(),
            server: session.server.clone(),
            refresh_token: if in_keychain { None } else { session.refresh_token.clone() },
            token: session.refresh_token.is_none().then(|| session.token.clone()),
        };
        let value = serde_json::to_value(on_disk).expect("a session always serialises");
        Ok(self.file.set(KEY, value)?)
    }

    pub fn clear(&self) -> Result<()> {
        *self.access.lock().unwrap_or_else(PoisonError::into_inner) = None;
        if let Some(secrets) = &self.secrets {
            secrets.delete();
        }
        Ok(self.file.delete(KEY)?)
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
        let s = Session::new("secret-token".into(), Uuid::nil(), "a@b.co".into(), ServerChoice::Embedded)
            .with_refresh_token(Some("secret-refresh".into()));
        assert!(!format!("{s:?}").contains("secret-token"));
        assert!(!format!("{s:?}").contains("secret-refresh"));
    }

    /// A session file written by an earlier version still signs the user in, and is written back
    /// in the same shape.
    #[test]
    fn an_earlier_session_file_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.json");
        let earlier = serde_json::json!({"session": {
            "user_id": Uuid::nil(),
            "email": "a@b.co",
            "backend": {"kind": "remote", "url": "https://auth.example.com"},
            "refresh_token": "refresh-token",
        }});
        std::fs::write(&path, earlier.to_string()).unwrap();
        let keeper = SessionKeeper::new(Box::new(crate::files::JsonFile::open(path.clone()).unwrap()));
        let session = keeper.load().expect("the earlier file loads");
        assert_eq!(session.server, ServerChoice::Remote { url: "https://auth.example.com".into() });
        assert_eq!(session.refresh_token.as_deref(), Some("refresh-token"));
        keeper.save(&session).unwrap();
        let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(written, earlier);
    }

    /// A keychain stand-in that remembers what it was given.
    #[derive(Default, Clone)]
    struct FakeKeychain(std::sync::Arc<Mutex<Option<String>>>);

    impl SecretSlot for FakeKeychain {
        fn get(&self) -> Option<String> {
            self.0.lock().unwrap().clone()
        }
        fn set(&self, secret: &str) -> bool {
            *self.0.lock().unwrap() = Some(secret.into());
            true
        }
        fn delete(&self) {
            *self.0.lock().unwrap() = None;
        }
        fn describe(&self) -> &'static str {
            "the system keychain"
        }
    }

    #[test]
    fn the_refresh_token_goes_to_the_keychain_and_the_access_token_nowhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.json");
        let keychain = FakeKeychain::default();
        let keeper = SessionKeeper::new(Box::new(crate::files::JsonFile::open(path.clone()).unwrap()))
            .with_secrets(Some(Box::new(keychain.clone())));
        assert_eq!(keeper.token_storage(), "the system keychain");
        let session = Session::new("access-token".into(), Uuid::nil(), "a@b.co".into(), ServerChoice::Embedded)
            .with_refresh_token(Some("refresh-token".into()));
        keeper.save(&session).unwrap();
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(!on_disk.contains("access-token") && !on_disk.contains("refresh-token"), "{on_disk}");
        assert_eq!(keychain.get().as_deref(), Some("refresh-token"));
        assert_eq!(keeper.load().unwrap().token, "access-token", "this process remembers it");

        // A new process knows the user and the refresh token, not the access token.
        let relaunched = SessionKeeper::new(Box::new(crate::files::JsonFile::open(path.clone()).unwrap()))
            .with_secrets(Some(Box::new(keychain.clone())));
        let restored = relaunched.load().unwrap();
        assert!(restored.token.is_empty() && restored.is_expired(Utc::now()));
        assert_eq!(restored.refresh_token.as_deref(), Some("refresh-token"));
        relaunched.clear().unwrap();
        assert!(keychain.get().is_none());

        // Without a keychain the refresh token stays in the (0600) file; still no access token.
        let plain = SessionKeeper::new(Box::new(crate::files::JsonFile::open(path.clone()).unwrap()));
        plain.save(&session).unwrap();
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(on_disk.contains("refresh-token") && !on_disk.contains("access-token"), "{on_disk}");
    }
}
