//! Server configuration: the database URL, the signing secret, token lifetime, limits, CORS, mail.
//!
//! Plain data, the lowest layer: it imports nothing of the crate. What is built from it (the
//! mailer, the key ring, the services) is built in [`crate::app`].

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use ipnet::IpNet;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// A `postgresql://` URL as tokio-postgres reads it.
    Postgres(String),
}

impl DatabaseUrl {
    /// Accepts `sqlite:<path>` (also `sqlite://<path>`, `sqlite:///./rel.db` and `sqlite:////abs.db`
    /// as SQLAlchemy writes them) and `postgres://`, `postgresql://`, `postgresql+asyncpg://`.
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        let unsupported = || ConfigError::UnsupportedDatabaseUrl(redact_url(raw));
        let (scheme, rest) = raw.split_once(':').ok_or_else(unsupported)?;
        let scheme = scheme.to_ascii_lowercase();
        // SQLAlchemy names the driver after a '+': postgresql+asyncpg, postgresql+psycopg, sqlite+pysqlite.
        let base = scheme.split('+').next().unwrap_or_default();
        match base {
            "sqlite" => {
                let path = rest.split('?').next().unwrap_or_default();
                let path = match path.strip_prefix("//") {
                    // sqlite:////abs/file.db (SQLAlchemy's absolute form)
                    Some(p) if p.starts_with("//") => &p[1..],
                    // sqlite:///./rel.db or sqlite:///../rel.db (SQLAlchemy's relative form)
                    Some(p) if p.starts_with("/./") || p.starts_with("/../") => &p[1..],
                    Some(p) => p,
                    None => path,
                };
                if path.is_empty() || path == ":memory:" {
                    return Err(unsupported());
                }
                Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
            }
            "postgres" | "postgresql" => {
                // asyncpg spells the TLS option `ssl=`; libpq and tokio-postgres spell it `sslmode=`.
                let rest = rest.replace("?ssl=", "?sslmode=").replace("&ssl=", "&sslmode=");
                Ok(DatabaseUrl::Postgres(format!("postgresql:{rest}")))
            }
            _ => Err(unsupported()),
        }
    }

    /// The default: `authdesk.db` in the platform's data directory.
    pub fn default_sqlite() -> Result<Self, ConfigError> {
        let dirs = directories::ProjectDirs::from("com", "authdesk", "authdesk").ok_or(ConfigError::NoDataDir)?;
        Ok(DatabaseUrl::Sqlite(dirs.data_dir().join("authdesk.db")))
    }
}

impl fmt::Display for DatabaseUrl {
    /// Safe to log: PostgreSQL passwords are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

/// Replaces the password of `scheme://user:password@host/…` (and a `password=` parameter) with `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let auth_start = scheme_end + 3;
        let auth_end = out[auth_start..].find(['/', '?']).map_or(out.len(), |i| auth_start + i);
        if let Some(at) = out[auth_start..auth_end].rfind('@') {
            let userinfo = &out[auth_start..auth_start + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(auth_start + colon + 1..auth_start + at, "***");
            }
        }
    }
    if let Some(i) = out.find("password=") {
        let start = i + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "***");
    }
    out
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

/// At most `max` attempts per `window` from one client (enforced in `crate::rate_limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window: Duration,
}

impl RateLimit {
    /// Parses `5/minute`, `10/second`, `100/hour`, `1000/day`, `10/15minutes` (also
    /// `5 per minute`), or `off` (`None`).
    pub fn parse(raw: &str) -> Result<Option<Self>, ConfigError> {
        let invalid = || ConfigError::InvalidRateLimit(raw.to_owned());
        let s = raw.trim().to_ascii_lowercase();
        if matches!(s.as_str(), "off" | "none" | "disabled" | "0") {
            return Ok(None);
        }
        let (count, unit) = s.split_once('/').or_else(|| s.split_once(" per ")).ok_or_else(invalid)?;
        let max: u32 = count.trim().parse().map_err(|_| invalid())?;
        let unit = unit.trim();
        let digits = unit.find(|c: char| !c.is_ascii_digit()).unwrap_or(unit.len());
        let multiplier: u64 = if digits == 0 { 1 } else { unit[..digits].parse().map_err(|_| invalid())? };
        let secs = match unit[digits..].trim().trim_end_matches('s') {
            "second" | "sec" => 1,
            "minute" | "min" => 60,
            "hour" => 3600,
            "day" => 86_400,
            _ => return Err(invalid()),
        };
        if max == 0 || multiplier == 0 || secs * multiplier > 86_400 {
            return Err(invalid());
        }
        Ok(Some(Self { max, window: Duration::from_secs(secs * multiplier) }))
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

/// The mail server and the sender (`AUTHDESK_SMTP_URL`, `AUTHDESK_MAIL_FROM`), both checked
/// here: `smtp://host:port` (plain, for a relay on the same machine), `smtp://host?tls=required`
/// (STARTTLS) or `smtps://user:password@host`. The mailer is built from it in `crate::app`.
#[derive(Clone, PartialEq, Eq)]
pub struct MailSettings {
    url: String,
    from: String,
}

impl MailSettings {
    pub fn new(url: &str, from: &str) -> Result<Self, ConfigError> {
        use lettre::{message::Mailbox, AsyncSmtpTransport, Tokio1Executor};
        let url = url.trim();
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| ConfigError::InvalidSmtpUrl(redact_url(url)))?;
        let from = from.trim();
        if from.is_empty() {
            return Err(ConfigError::MissingMailFrom);
        }
        from.parse::<Mailbox>().map_err(|_| ConfigError::InvalidMailFrom(from.to_owned()))?;
        Ok(Self { url: url.to_owned(), from: from.to_owned() })
    }

    /// The URL, password included: for building the transport only, never for a log.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn from(&self) -> &str {
        &self.from
    }

    /// The mail server's URL, password redacted.
    pub fn server(&self) -> String {
        redact_url(&self.url)
    }

    /// Whether mail to this server crosses a network unencrypted: `smtp://` to another host
    /// without `tls=` (worth a warning at start: reset codes would travel in the clear).
    pub fn is_plaintext_remote(&self) -> bool {
        reqwest::Url::parse(&self.url).is_ok_and(|u| {
            let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]" | "::1"));
            u.scheme() == "smtp" && !loopback && !u.query_pairs().any(|(k, _)| k == "tls")
        })
    }
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings").field("server", &self.server()).field("from", &self.from).finish()
    }
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
    /// Per request (see [`DEFAULT_REQUEST_TIMEOUT`]).
    pub request_timeout: Duration,
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
    /// How long a password reset code works.
    pub password_reset_code_ttl: Duration,
    /// How long audit events are kept.
    pub audit_retention: Duration,
    /// How new access tokens are signed.
    pub token_signing: TokenSigning,
    /// How long a deleted task's tombstone is kept for syncing clients (and so how old a sync
    /// cursor may be).
    pub tombstone_retention: Duration,
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
            prune_interval: DEFAULT_PRUNE_INTERVAL,
            mfa_token_ttl: Duration::from_secs(5 * 60),
            mail: None,
            password_reset_by_email: Some(RateLimit { max: 5, window: Duration::from_secs(3600) }),
            password_reset_by_address: Some(RateLimit { max: 20, window: Duration::from_secs(3600) }),
            password_reset_code_ttl: Duration::from_secs(30 * 60),
            audit_retention: Duration::from_secs(90 * 86_400),
            token_signing: TokenSigning::Hs256,
            signing_keys_reload: DEFAULT_KEY_RELOAD,
            tombstone_retention: Duration::from_secs(30 * 86_400),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_parse() {
        assert_eq!(RateLimit::parse("5/minute"), Ok(Some(RateLimit { max: 5, window: Duration::from_secs(60) })));
        assert_eq!(
            RateLimit::parse("100 per hour"),
            Ok(Some(RateLimit { max: 100, window: Duration::from_secs(3600) }))
        );
        assert_eq!(RateLimit::parse("OFF"), Ok(None));
        assert_eq!(RateLimit::parse("10/15minutes"), Ok(Some(RateLimit { max: 10, window: Duration::from_secs(900) })));
        assert_eq!(
            RateLimit::parse("10 per 15 min"),
            Ok(Some(RateLimit { max: 10, window: Duration::from_secs(900) }))
        );
        assert!(RateLimit::parse("5/fortnight").is_err());
        assert!(RateLimit::parse("5/2days").is_err(), "windows are at most a day");
        assert!(RateLimit::parse("many").is_err());
    }

    #[test]
    fn mail_settings_are_checked_and_never_print_a_password() {
        let mail = MailSettings::new(" smtps://u:hunter2@mail.example.com ", "authdesk <noreply@example.com>").unwrap();
        assert_eq!(mail.server(), "smtps://u:***@mail.example.com");
        assert!(!format!("{mail:?}").contains("hunter2"));
        assert!(!mail.is_plaintext_remote());
        assert!(MailSettings::new("smtp://mail.example.com", "a@example.com").unwrap().is_plaintext_remote());
        assert!(!MailSettings::new("smtp://127.0.0.1:2525", "a@example.com").unwrap().is_plaintext_remote());
        assert_eq!(MailSettings::new("smtp://h", " "), Err(ConfigError::MissingMailFrom));
        assert!(matches!(MailSettings::new("smtp://h", "not an address"), Err(ConfigError::InvalidMailFrom(_))));
        assert!(
            matches!(MailSettings::new("http://u:hunter2@h", "a@b.c"), Err(ConfigError::InvalidSmtpUrl(u)) if !u.contains("hunter2"))
        );
    }

    #[test]
    fn database_urls_pick_the_backend() {
        use DatabaseUrl::*;
        assert_eq!(DatabaseUrl::parse("sqlite:data/app.db"), Ok(Sqlite("data/app.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite://data/app.db"), Ok(Sqlite("data/app.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite:///./app.db"), Ok(Sqlite("./app.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite:////var/lib/app.db"), Ok(Sqlite("/var/lib/app.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite:///var/lib/app.db?mode=rwc"), Ok(Sqlite("/var/lib/app.db".into())));
        assert_eq!(DatabaseUrl::parse("postgres://u:p@h/db"), Ok(Postgres("postgresql://u:p@h/db".into())));
        assert_eq!(DatabaseUrl::parse("postgresql://h/db"), Ok(Postgres("postgresql://h/db".into())));
        assert_eq!(
            DatabaseUrl::parse("postgresql+asyncpg://u:p@h:5432/db?ssl=require"),
            Ok(Postgres("postgresql://u:p@h:5432/db?sslmode=require".into()))
        );
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        assert!(DatabaseUrl::parse("nonsense").is_err());
    }

    #[test]
    fn database_passwords_never_reach_the_logs() {
        let url = DatabaseUrl::parse("postgresql+asyncpg://app:s3cr3t@db.example.com/app").unwrap();
        assert_eq!(url.to_string(), "postgresql://app:***@db.example.com/app");
        assert_eq!(redact_url("host=h password=hunter2&x=1"), "host=h password=***&x=1");
        let err = DatabaseUrl::parse("mysql://root:hunter2@h/db").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

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
