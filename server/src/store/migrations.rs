//! Migrations embedded from `migrations/<backend>/`, applied in version order, each once.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const SQLITE: &[Migration] =
    &[Migration { version: 1, name: "init", sql: include_str!("../../../migrations/sqlite/0001_init.sql") }];

pub const POSTGRES: &[Migration] =
    &[Migration { version: 1, name: "init", sql: include_str!("../../../migrations/postgres/0001_init.sql") }];

/// Our own bookkeeping table; named so it cannot collide with another tool's (e.g. Alembic's).
pub const TABLE: &str = "authdesk_schema_migrations";

pub fn pending(all: &'static [Migration], applied: &[i64]) -> Vec<Migration> {
    all.iter().filter(|m| !applied.contains(&m.version)).copied().collect()
}
