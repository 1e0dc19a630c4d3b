//! Migrations embedded from `migrations/<backend>/`, applied in version order, each once.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migrations {
    ($backend:literal: $(($version:literal, $name:literal, $file:literal)),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../../migrations/", $backend, "/", $file)),
        }),*]
    };
}

pub const SQLITE: &[Migration] =
    migrations!("sqlite": (1, "init", "0001_init.sql"), (2, "sessions", "0002_sessions.sql"));
pub const POSTGRES: &[Migration] =
    migrations!("postgres": (1, "init", "0001_init.sql"), (2, "sessions", "0002_sessions.sql"));

/// Our own bookkeeping table; named so it cannot collide with another tool's (e.g. Alembic's).
pub const TABLE: &str = "authdesk_schema_migrations";

pub fn pending(all: &'static [Migration], applied: &[i64]) -> Vec<Migration> {
    all.iter().filter(|m| !applied.contains(&m.version)).copied().collect()
}
