//! `DatabaseUrl`: which database, from the URL forms this server and the original design accept,
//! and URLs made safe to log.

use std::fmt;
use std::path::PathBuf;

use super::ConfigError;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
