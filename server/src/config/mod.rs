//! Server configuration: the database URL, the signing secret, token lifetime, limits, CORS, mail.
//!
//! Plain data, the lowest layer: it imports nothing of the crate. What is built from it (the
//! mailer, the key ring, the services) is built in [`crate::app`].

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

pub use connections::{ConnectionLimits, DEFAULT_HEADER_READ_TIMEOUT};
pub use database::{redact_url, DatabaseUrl};
pub use ipnet::IpNet;
pub use mail::MailSettings;
pub use rate_limit::RateLimit;
pub use registration::{parse_allowed_domains, parse_registration_mode, parse_switch, Registration, RegistrationMode};
pub use sso::{SsoSettings, DEFAULT_SCOPES as DEFAULT_OIDC_SCOPES};

mod connections;
mod database;
mod mail;
mod rate_limit;
mod registration;
mod sso;

/// Origins a Tauri webview loads the UI from, on Linux/macOS and Windows.
pub const TAURI_ORIGINS: &[&str] = &["tauri://localhost", "http://tauri.localhost", "https://tauri.localhost"];
pub const MIN_SECRET_BYTES: usize = 32;
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(24 * 60 * 60);
pub const DEFAULT_REFRESH_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Long enough for a client's two racing refreshes to both succeed, and for a client whose
/// refresh answer was lost to retry (the desktop app gives up on a request after 10 s), short
/// enough that a stolen spent token is of little use.
pub const DEFAULT_REFRESH_GRACE: Duration = Duration::from_secs(30);
/// Sessions end this long after sign-in, however often they are refreshed.
pub const DEFAULT_SESSION_MAX_AGE: Duration = Duration::from_secs(90 * 24 * 60 * 60);
/// How long one database statement, lock wait or round trip may take before the request gets a 503.
pub const DEFAULT_DATABASE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole request may take: a bound for what no single timeout covers (a queue, a chain
/// of statements).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the background task deletes expired rows.
pub const DEFAULT_PRUNE_INTERVAL: Duration = Duration::from_secs(10 * 60);
/// A failed password check never answers sooner than this, whatever the stored hash (or its absence)
/// costs to check: above a cost-12 bcrypt hash of the original design (~250 ms) and argon2 (~40 ms),
/// so response time tells an unknown email, a legacy account and a refused hash apart no better than
/// a current one.
pub const DEFAULT_FAILED_CHECK_FLOOR: Duration = Duration::from_millis(300);
/// How often each instance reloads the signing keys from the database.
pub const DEFAULT_KEY_RELOAD: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("BETTER_AUTH_SECRET is not set. Set it to a random string of at least {MIN_SECRET_BYTES} bytes, e.g. `openssl rand -hex 32`.")]
    MissingSecret,
    #[error("BETTER_AUTH_SECRET is {0} bytes long; it must be at least {MIN_SECRET_BYTES} bytes. Generate one with `openssl rand -hex 32`.")]
    ShortSecret(usize),
    #[error("unsupported database URL {0:?}: use sqlite:<path>, postgres://… or postgresql://…")]
    UnsupportedDatabaseUrl(String),
    #[error("invalid rate limit {0:?}: use e.g. \"5/minute\", \"10/15minutes\", \"100/hour\" (a window of at most a day) or \"off\"")]
    InvalidRateLimit(String),
    #[error("invalid ACCESS_TOKEN_EXPIRE_MINUTES {0:?}: use a whole number of minutes above zero")]
    InvalidTokenLifetime(String),
    #[error("invalid {0} {1:?}: use a whole number")]
    InvalidNumber(&'static str, String),
    #[error("invalid trusted proxy {0:?}: use an address or a CIDR range, e.g. 10.0.0.0/8 or ::1")]
    InvalidProxy(String),
    #[error("invalid AUTHDESK_BREACHED_PASSWORDS {0:?}: use the range API's http(s) URL, e.g. https://api.pwnedpasswords.com/range, or \"off\"")]
    InvalidBreachedPasswordsUrl(String),
    #[error("invalid AUTHDESK_SMTP_URL {0:?}: use smtp://host:port, smtp://host?tls=required (STARTTLS) or smtps://user:password@host")]
    InvalidSmtpUrl(String),
    #[error("AUTHDESK_SMTP_URL is set but AUTHDESK_MAIL_FROM is not: set the sender, e.g. \"authdesk <noreply@example.com>\"")]
    MissingMailFrom,
    #[error("invalid AUTHDESK_MAIL_FROM {0:?}: use an address, e.g. noreply@example.com or \"authdesk <noreply@example.com>\"")]
    InvalidMailFrom(String),
    #[error("no data directory could be determined for the default database; set DATABASE_URL")]
    NoDataDir,
    #[error("invalid AUTHDESK_REGISTRATION {0:?}: use open, verified or invite")]
    InvalidRegistrationMode(String),
    #[error("invalid domain {0:?} in AUTHDESK_ALLOWED_EMAIL_DOMAINS: use e.g. example.com, example.org")]
    InvalidEmailDomain(String),
    #[error("invalid {0} {1:?}: use on or off")]
    InvalidSwitch(&'static str, String),
    #[error("invalid AUTHDESK_OIDC_ISSUER {0:?}: use the provider's https:// issuer URL (http:// only on loopback)")]
    InvalidOidcIssuer(String),
    #[error("AUTHDESK_OIDC_ISSUER is set but AUTHDESK_OIDC_CLIENT_ID or AUTHDESK_OIDC_CLIENT_SECRET is not: set the client this server is at the provider")]
    MissingOidcClient,
    #[error("single sign-on needs AUTHDESK_PUBLIC_URL, the server's external base URL: the provider sends the browser back to <it>/api/auth/sso/callback")]
    MissingPublicUrl,
    #[error("invalid AUTHDESK_PUBLIC_URL {0:?}: use the server's https:// base URL (http:// only on loopback)")]
    InvalidPublicUrl(String),
    #[error("AUTHDESK_REGISTRATION=verified mails a code to every new address: set AUTHDESK_SMTP_URL and AUTHDESK_MAIL_FROM")]
    VerificationWithoutMail,
    /// A setting asks for a part this build was made without (see server/Cargo.toml's features).
    #[error("{0} is not available in this build")]
    NotBuiltIn(&'static str),
}

/// The HS256 signing secret. Its `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ConfigError> {
        let bytes = bytes.into();
        if bytes.is_empty() {
            return Err(ConfigError::MissingSecret);
        }
        if bytes.len() < MIN_SECRET_BYTES {
            return Err(ConfigError::ShortSecret(bytes.len()));
        }
        Ok(Self(bytes))
    }

    /// 32 random bytes, hex-encoded (for the embedded server, which keeps its own secret).
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>().into_bytes())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Parses a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.5, ::1`).
pub fn parse_trusted_proxies(raw: &str) -> Result<Vec<IpNet>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| ConfigError::InvalidProxy(s.to_owned()))
        })
        .collect()
}

/// The breached-password range API's base URL (`http(s)://…`, trailing slash dropped), or `None`
/// for an empty value or `off`. Checked at start: a mistyped URL would otherwise only show as a
/// warning on every sign-up, with nothing refused.
pub fn parse_breached_passwords_url(raw: &str) -> Result<Option<String>, ConfigError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match reqwest::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() && url.query().is_none() => {
            Ok(Some(raw.trim_end_matches('/').to_owned()))
        }
        _ => Err(ConfigError::InvalidBreachedPasswordsUrl(redact_url(raw))),
    }
}

pub fn parse_token_ttl_minutes(raw: &str) -> Result<Duration, ConfigError> {
    match raw.trim().parse::<u64>() {
        Ok(minutes) if minutes > 0 && minutes <= 60 * 24 * 365 => Ok(Duration::from_secs(minutes * 60)),
        _ => Err(ConfigError::InvalidTokenLifetime(raw.to_owned())),
    }
}

/// How this instance signs new access tokens. Whatever it is, tokens of the other kind keep
/// verifying (HS256 while `BETTER_AUTH_SECRET` is set; EdDSA while the key is kept), so switching
/// signs nobody out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenSigning {
    /// The original design's: HMAC with `BETTER_AUTH_SECRET`.
    #[default]
    Hs256,
    /// Ed25519 keys from the database, published as a JWKS.
    EdDsa,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database: DatabaseUrl,
    pub secret: Secret,
    pub access_token_ttl: Duration,
    /// Refresh token lifetime; each refresh starts a new one.
    pub refresh_token_ttl: Duration,
    /// How long after its rotation a spent refresh token still yields its successor.
    pub refresh_grace: Duration,
    /// Login attempts per client IP; `None` disables the limit.
    pub login_rate_limit: Option<RateLimit>,
    /// Failed password checks per account (at login, password change and account deletion)
    /// before that account's password checks pause.
    pub account_lockout: Option<RateLimit>,
    /// Registration attempts per client address; `None` disables the limit.
    pub register_rate_limit: Option<RateLimit>,
    /// Refreshes per session; `None` disables the limit.
    pub refresh_rate_limit: Option<RateLimit>,
    /// Sessions end this long after sign-in, however often they are refreshed.
    pub session_max_age: Duration,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies); empty: none.
    pub trusted_proxies: Vec<IpNet>,
    /// Allowed CORS origins besides [`TAURI_ORIGINS`].
    pub cors_origins: Vec<String>,
    /// How many argon2 hashes may run at once; the rest queue.
    pub hash_concurrency: usize,
    /// How many password checks may wait for a hashing slot; beyond that, 503 at once. New
    /// passwords (registration, password change) may fill only half of it and queue apart from
    /// checks, so a flood of them cannot keep sign-ins out or waiting.
    pub hash_queue: usize,
    /// A failed password check never answers sooner than this.
    pub failed_check_floor: Duration,
    /// The base URL of a k-anonymity range API (HIBP's protocol, e.g.
    /// `https://api.pwnedpasswords.com/range`): new passwords it lists are refused. `None`: off.
    pub breached_passwords: Option<String>,
    /// Per statement, lock wait and round trip (see [`DEFAULT_DATABASE_TIMEOUT`]).
    pub database_timeout: Duration,
    /// Per request (see [`DEFAULT_REQUEST_TIMEOUT`]), once its head has arrived.
    pub request_timeout: Duration,
    /// Until a request head has arrived, and how many connections may be open.
    pub connections: ConnectionLimits,
    /// How often expired rows are deleted.
    pub prune_interval: Duration,
    /// How long a sign-in with the right password waits for its second factor.
    pub mfa_token_ttl: Duration,
    /// Where password reset codes are mailed from; `None`: no mail (an administrator issues codes
    /// with `authdesk-server admin reset-code`).
    pub mail: Option<MailSettings>,
    /// Password reset requests per email address (known or not).
    pub password_reset_by_email: Option<RateLimit>,
    /// Password reset requests per client address.
    pub password_reset_by_address: Option<RateLimit>,
    /// Reset code confirmations (right or wrong) per client address.
    pub password_reset_confirm_by_address: Option<RateLimit>,
    /// Reset code confirmations (right or wrong) per email address, known or not.
    pub password_reset_confirm_by_email: Option<RateLimit>,
    /// How long a password reset code works.
    pub password_reset_code_ttl: Duration,
    /// How long audit events are kept.
    pub audit_retention: Duration,
    /// How new access tokens are signed.
    pub token_signing: TokenSigning,
    /// `iss` of EdDSA access tokens (HS256 ones carry none, as the original design's).
    pub token_issuer: Option<String>,
    /// `aud` of EdDSA access tokens.
    pub token_audience: Option<String>,
    /// The lifetime of EdDSA access tokens (verified elsewhere, they cannot be revoked there);
    /// `None`: the access token lifetime.
    pub eddsa_token_ttl: Option<Duration>,
    /// How long a deleted task's tombstone is kept for syncing clients (and so how old a sync
    /// cursor may be).
    pub tombstone_retention: Duration,
    /// Who may join, and the new sign-in alerts.
    pub registration: Registration,
    /// The server's external base URL (`AUTHDESK_PUBLIC_URL`), as its users reach it; for mail.
    pub public_url: Option<String>,
    /// Single sign-on through an OpenID provider; `None`: off.
    pub sso: Option<SsoSettings>,
    /// Exports per account.
    pub export_limit: Option<RateLimit>,
    /// How often a live change stream's token is checked again (and a comment sent).
    pub event_recheck: Duration,
    /// How often the signing keys are reloaded from the database (a rotation by another
    /// instance or by `admin keys rotate` shows within this).
    pub signing_keys_reload: Duration,
}

impl Config {
    /// Defaults for everything but the database and secret.
    pub fn new(database: DatabaseUrl, secret: Secret) -> Self {
        let hash_concurrency = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            database,
            secret,
            access_token_ttl: DEFAULT_TOKEN_TTL,
            refresh_token_ttl: DEFAULT_REFRESH_TTL,
            refresh_grace: DEFAULT_REFRESH_GRACE,
            login_rate_limit: Some(RateLimit { max: 5, window: Duration::from_secs(60) }),
            account_lockout: Some(RateLimit { max: 10, window: Duration::from_secs(15 * 60) }),
            register_rate_limit: Some(RateLimit { max: 20, window: Duration::from_secs(3600) }),
            refresh_rate_limit: Some(RateLimit { max: 60, window: Duration::from_secs(3600) }),
            session_max_age: DEFAULT_SESSION_MAX_AGE,
            trusted_proxies: Vec::new(),
            cors_origins: Vec::new(),
            hash_concurrency,
            // About a second of work at ~40 ms a hash: a sign-in never waits much longer than that.
            hash_queue: hash_concurrency * 16,
            failed_check_floor: DEFAULT_FAILED_CHECK_FLOOR,
            // Off: asking a third party is the operator's choice, and the desktop app works offline.
            breached_passwords: None,
            database_timeout: DEFAULT_DATABASE_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connections: ConnectionLimits::default(),
            prune_interval: DEFAULT_PRUNE_INTERVAL,
            mfa_token_ttl: Duration::from_secs(5 * 60),
            mail: None,
            password_reset_by_email: Some(RateLimit { max: 5, window: Duration::from_secs(3600) }),
            password_reset_by_address: Some(RateLimit { max: 20, window: Duration::from_secs(3600) }),
            password_reset_confirm_by_address: Some(RateLimit { max: 30, window: Duration::from_secs(3600) }),
            password_reset_confirm_by_email: Some(RateLimit { max: 10, window: Duration::from_secs(3600) }),
            password_reset_code_ttl: Duration::from_secs(30 * 60),
            audit_retention: Duration::from_secs(90 * 86_400),
            token_signing: TokenSigning::Hs256,
            token_issuer: None,
            token_audience: None,
            eddsa_token_ttl: None,
            signing_keys_reload: DEFAULT_KEY_RELOAD,
            tombstone_retention: Duration::from_secs(30 * 86_400),
            registration: Registration::default(),
            public_url: None,
            sso: None,
            export_limit: Some(RateLimit { max: 10, window: Duration::from_secs(3600) }),
            event_recheck: Duration::from_secs(15),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_must_be_long_and_are_never_printed() {
        assert_eq!(Secret::new(""), Err(ConfigError::MissingSecret));
        assert_eq!(Secret::new("x".repeat(31)), Err(ConfigError::ShortSecret(31)));
        let secret = Secret::new("s".repeat(32)).unwrap();
        assert!(!format!("{secret:?}").contains("sss"));
        assert_eq!(Secret::generate().expose().len(), 64);
    }

    #[test]
    fn trusted_proxies_parse() {
        let parsed = parse_trusted_proxies(" 10.0.0.0/8, 192.168.1.5 ,::1,fd00::/64,").unwrap();
        let shown: Vec<String> = parsed.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.168.1.5/32", "::1/128", "fd00::/64"]);
        assert_eq!(parse_trusted_proxies(""), Ok(vec![]));
        assert_eq!(parse_trusted_proxies("10.0.0.0/33"), Err(ConfigError::InvalidProxy("10.0.0.0/33".into())));
        assert!(parse_trusted_proxies("proxy.local").is_err());
    }

    #[test]
    fn breached_password_urls_parse() {
        let parse = parse_breached_passwords_url;
        let hibp = "https://api.pwnedpasswords.com/range";
        assert_eq!(parse(hibp), Ok(Some(hibp.to_owned())));
        assert_eq!(parse(" https://api.pwnedpasswords.com/range/ "), Ok(Some(hibp.to_owned())));
        assert_eq!(parse("http://127.0.0.1:8080/range"), Ok(Some("http://127.0.0.1:8080/range".to_owned())));
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("OFF"), Ok(None));
        for bad in ["api.pwnedpasswords.com/range", "ftp://h/range", "https://h/range?key=1", "https://"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let err = parse("ftp://u:hunter2@h/range").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }
}
