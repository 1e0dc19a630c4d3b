//! The signed-in session, owned by the shell: who is signed in in `session.json` (0600), the
//! refresh token in the keychain or its own file. The webview never sees a token: it gets the
//! account's profile.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use std::sync::{Mutex, PoisonError};

use authdesk_contract::desktop::ServerChoice;

use crate::files::KeyValueFile;
use crate::Result;
use secrets::{SecretFile, SecretSlot};

mod caller;
pub mod secrets;

pub use caller::{Authed, Sessions};

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

/// What goes to `session.json`: who is signed in. The access token is written only for servers
/// that issue no refresh token (the original design's), which would otherwise sign the user out
/// at every launch; else it stays in memory. The field names are those of earlier versions, so
/// their session files still load; a refresh token they kept here is moved out when read.
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
/// its own file), the access token in memory.
pub struct SessionKeeper {
    file: Box<dyn KeyValueFile>,
    keychain: Option<Box<dyn SecretSlot>>,
    /// Where the refresh token goes when there is no keychain (or it refuses it).
    secret_file: SecretFile,
    /// The current access token: memory only.
    access: Mutex<Option<String>>,
}

impl SessionKeeper {
    pub fn new(file: Box<dyn KeyValueFile>, secret_file: SecretFile) -> Self {
        Self { file, keychain: None, secret_file, access: Mutex::new(None) }
    }

    /// Keeps refresh tokens in `keychain` (the OS keychain) rather than the secret file.
    pub fn with_secrets(mut self, keychain: Option<Box<dyn SecretSlot>>) -> Self {
        self.keychain = keychain;
        self
    }

    /// Where the refresh token is kept, for Settings.
    pub fn token_storage(&self) -> &'static str {
        self.keychain.as_ref().map_or(secrets::IN_DATA_FOLDER, |s| s.describe())
    }

    pub fn load(&self) -> Option<Session> {
        let mut on_disk: OnDisk = self.file.get(KEY).and_then(|v| serde_json::from_value(v).ok())?;
        let refresh_token = match on_disk.refresh_token.take() {
            Some(left) => {
                self.move_out(&on_disk, &left);
                Some(left)
            }
            None => self.keychain.as_ref().and_then(|k| k.get()).or_else(|| self.secret_file.get()),
        };
        // After a relaunch there is no access token until the first refresh (see `is_expired`).
        let token =
            self.access.lock().unwrap_or_else(PoisonError::into_inner).clone().or(on_disk.token).unwrap_or_default();
        Some(Session::new(token, on_disk.user_id, on_disk.email, on_disk.server).with_refresh_token(refresh_token))
    }

    /// Moves a refresh token that an earlier version left in `session.json` to where it belongs
    /// now, rewriting the file as `rest` (the session without it). If that fails it stays where it
    /// was, to be moved at the next load.
    fn move_out(&self, rest: &OnDisk, refresh_token: &str) {
        if self.keep_refresh_token(refresh_token).is_ok() {
            let value = serde_json::to_value(rest).expect("a session always serialises");
            let _ = self.file.set(KEY, value);
        }
    }

    pub fn save(&self, session: &Session) -> Result<()> {
        *self.access.lock().unwrap_or_else(PoisonError::into_inner) = Some(session.token.clone());
        match &session.refresh_token {
            Some(refresh_token) => self.keep_refresh_token(refresh_token)?,
            None => self.forget_refresh_token()?,
        }
        let on_disk = OnDisk {
            user_id: session.user_id,
            email: session.email.clone(),
            server: session.server.clone(),
            refresh_token: None,
            token: session.refresh_token.is_none().then(|| session.token.clone()),
        };
        let value = serde_json::to_value(on_disk).expect("a session always serialises");
        Ok(self.file.set(KEY, value)?)
    }

    /// In the keychain when it takes it (and then not in the file), else in the file.
    fn keep_refresh_token(&self, refresh_token: &str) -> std::io::Result<()> {
        match &self.keychain {
            Some(keychain) if keychain.set(refresh_token) => self.secret_file.delete(),
            _ => self.secret_file.set(refresh_token),
        }
    }

    fn forget_refresh_token(&self) -> std::io::Result<()> {
        if let Some(keychain) = &self.keychain {
            keychain.delete();
        }
        self.secret_file.delete()
    }

    pub fn clear(&self) -> Result<()> {
        *self.access.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.forget_refresh_token()?;
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

    /// A keeper over `session.json` and `refresh-token` in `dir`.
    fn keeper_in(dir: &std::path::Path) -> SessionKeeper {
        let file = crate::files::JsonFile::open(dir.join("session.json")).unwrap();
        SessionKeeper::new(Box::new(file), SecretFile::new(dir.join(secrets::REFRESH_TOKEN_FILE)))
    }

    /// A session file written by an earlier version still signs the user in, and is written back
    /// in the same shape, except for the refresh token: that moves to its own file.
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
        let keeper = keeper_in(dir.path());
        let session = keeper.load().expect("the earlier file loads");
        assert_eq!(session.server, ServerChoice::Remote { url: "https://auth.example.com".into() });
        assert_eq!(session.refresh_token.as_deref(), Some("refresh-token"));
        let mut expected = earlier.clone();
        expected["session"].as_object_mut().unwrap().remove("refresh_token");
        let written = || serde_json::from_slice::<serde_json::Value>(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(written(), expected, "moved out as soon as it was read");
        let secret = std::fs::read_to_string(dir.path().join(secrets::REFRESH_TOKEN_FILE)).unwrap();
        assert_eq!(secret, "refresh-token");
        assert_eq!(keeper_in(dir.path()).load(), Some(session.clone()));
        keeper.save(&session).unwrap();
        assert_eq!(written(), expected);
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
        let keeper = keeper_in(dir.path()).with_secrets(Some(Box::new(keychain.clone())));
        assert_eq!(keeper.token_storage(), "the system keychain");
        let session = Session::new("access-token".into(), Uuid::nil(), "a@b.co".into(), ServerChoice::Embedded)
            .with_refresh_token(Some("refresh-token".into()));
        keeper.save(&session).unwrap();
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(!on_disk.contains("access-token") && !on_disk.contains("refresh-token"), "{on_disk}");
        assert_eq!(keychain.get().as_deref(), Some("refresh-token"));
        assert_eq!(keeper.load().unwrap().token, "access-token", "this process remembers it");

        // A new process knows the user and the refresh token, not the access token.
        let relaunched = keeper_in(dir.path()).with_secrets(Some(Box::new(keychain.clone())));
        let restored = relaunched.load().unwrap();
        assert!(restored.token.is_empty() && restored.is_expired(Utc::now()));
        assert_eq!(restored.refresh_token.as_deref(), Some("refresh-token"));
        relaunched.clear().unwrap();
        assert!(keychain.get().is_none());

        // Without a keychain the refresh token goes to its own (0600) file, never `session.json`.
        let secret_file = dir.path().join(secrets::REFRESH_TOKEN_FILE);
        assert!(!secret_file.exists(), "not while the keychain kept it");
        let plain = keeper_in(dir.path());
        plain.save(&session).unwrap();
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(!on_disk.contains("refresh-token") && !on_disk.contains("access-token"), "{on_disk}");
        assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), "refresh-token");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&secret_file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(keeper_in(dir.path()).load().unwrap().refresh_token.as_deref(), Some("refresh-token"));
        plain.clear().unwrap();
        assert!(!secret_file.exists());
    }
}
