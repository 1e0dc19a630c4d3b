//! Migrations embedded from `migrations/<database>/`, applied in version order, each once, in one
//! transaction.

use super::sql::args;
use super::{DatabaseKind, Store, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migrations {
    ($database:literal: $(($version:literal, $name:literal, $file:literal)),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../../migrations/", $database, "/", $file)),
        }),*]
    };
}

const SQLITE: &[Migration] = migrations!("sqlite":
    (1, "init", "0001_init.sql"), (2, "sessions", "0002_sessions.sql"), (3, "mfa", "0003_mfa.sql"),
    (4, "password_reset", "0004_password_reset.sql"), (5, "admin_audit", "0005_admin_audit.sql"),
    (6, "signing_keys", "0006_signing_keys.sql"),
    (7, "task_sync", "0007_task_sync.sql"), (8, "task_order", "0008_task_order.sql"),
    (9, "registration", "0009_registration.sql"), (10, "sso", "0010_sso.sql"));
const POSTGRES: &[Migration] = migrations!("postgres":
    (1, "init", "0001_init.sql"), (2, "sessions", "0002_sessions.sql"), (3, "mfa", "0003_mfa.sql"),
    (4, "password_reset", "0004_password_reset.sql"), (5, "admin_audit", "0005_admin_audit.sql"),
    (6, "signing_keys", "0006_signing_keys.sql"),
    (7, "task_sync", "0007_task_sync.sql"), (8, "task_order", "0008_task_order.sql"),
    (9, "registration", "0009_registration.sql"), (10, "sso", "0010_sso.sql"));

// Our own bookkeeping table, named so it cannot collide with another tool's (e.g. Alembic's).
// The two versions differ in column types only; on PostgreSQL the transaction first takes an
// advisory lock (the constant spells "authdesk") so instances starting together apply each
// migration once, where SQLite's write transaction is exclusive already.
const SQLITE_BOOKKEEPING: &str = "CREATE TABLE IF NOT EXISTS authdesk_schema_migrations
    (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
const POSTGRES_BOOKKEEPING: &str = "SELECT pg_advisory_xact_lock(7022647185663947627);
    CREATE TABLE IF NOT EXISTS authdesk_schema_migrations
    (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

pub(super) async fn apply(store: &Store) -> StoreResult<Vec<Migration>> {
    let (all, bookkeeping) = match store.kind() {
        DatabaseKind::Sqlite => (SQLITE, SQLITE_BOOKKEEPING),
        DatabaseKind::Postgres => (POSTGRES, POSTGRES_BOOKKEEPING),
    };
    store
        .transaction(move |tx| {
            Box::pin(async move {
                tx.batch(bookkeeping).await?;
                let applied =
                    tx.query("SELECT version FROM authdesk_schema_migrations", vec![], |row| row.int(0)).await?;
                let pending: Vec<Migration> = all.iter().filter(|m| !applied.contains(&m.version)).copied().collect();
                for m in &pending {
                    tx.batch(m.sql).await?;
                    tx.execute(
                        "INSERT INTO authdesk_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        args![m.version, m.name, super::now()],
                    )
                    .await?;
                }
                Ok(pending)
            })
        })
        .await
}

/// The newest schema version this build knows for SQLite: a database at or below it can be
/// opened (and migrated), one above it was made by a newer authdesk.
pub fn latest_sqlite_version() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}
