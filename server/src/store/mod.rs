//! Storage: one SQL layer over two drivers.
//!
//! Each area (`users`, `sessions`, `attempts`, `mfa`, `codes`, `invitations`, `known_clients`,
//! `audit`, `signing_keys`, `tasks`) writes its statements and transactions once, as `impl Store`
//! blocks, against the backend-neutral interface in [`sql`]. The drivers (`sqlite`, `postgres`)
//! keep only what truly differs: connecting and pooling, placeholders, type mapping, advisory
//! locks, TLS. Handlers and services see [`Store`] and [`StoreError`] only.

mod attempts;
mod audit;
mod codes;
pub mod events;
mod invitations;
mod known_clients;
mod mfa;
mod migrations;
mod pending;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "postgres")]
mod postgres_listen;
#[cfg(feature = "postgres")]
mod postgres_tls;
mod readers;
mod sessions;
mod signing_keys;
pub mod sql;
pub mod sqlite;
mod sso;
mod tasks;
mod users;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use uuid::Uuid;

use crate::config::DatabaseUrl;
use sql::{Conn, Row, TxBody, Value};

pub use audit::{AuditEvent, AuditFilter};
pub use codes::CodeKind;
pub use invitations::InvitationRecord;
pub use mfa::{MfaChallenge, TotpActivation, TotpFactor};
pub use migrations::Migration;
pub use sessions::Rotation;
pub use signing_keys::SigningKeyRecord;
pub use sso::{SsoFlow, SsoGrant};
pub use tasks::{Created, FeedEntry, TaskList, Updated};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (e.g. the email is taken).
    #[error("a row with the same key already exists")]
    Conflict,
    /// A row the write refers to is gone (a foreign key found no user: the account was deleted
    /// while the request ran).
    #[error("a row this write refers to no longer exists")]
    Gone,
    /// The database could not be reached, or did not answer in time (a lock held elsewhere, a
    /// stalled server); worth retrying.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Other(String),
    /// The database named is one this build was made without (the desktop app's embedded server
    /// has no PostgreSQL driver).
    #[error("this build cannot open a {0} database")]
    Unsupported(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A connection pool's state: connections, those in use, callers waiting for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    pub size: usize,
    pub in_use: usize,
    pub waiting: usize,
}

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    pub fn name(self) -> &'static str {
        match self {
            DatabaseKind::Sqlite => "sqlite",
            DatabaseKind::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserRecord {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Tokens without a session id issued before this instant are refused.
    pub tokens_not_before: Option<DateTime<Utc>>,
    pub role: Role,
    /// Set while the account is disabled: its tokens are refused and its password signs nobody in.
    pub disabled_at: Option<DateTime<Utc>>,
    /// When the address was proven (a mailed code, a reset code, an invitation).
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Registered on a `verified` server and never verified: another registration for the
    /// address takes the account over, and the pruner deletes it once old.
    pub verification_pending: bool,
}

/// What an account may do: `user`, or `admin` (the administration API too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    #[default]
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    /// Anything but `admin` is a plain user: an unknown value grants nothing.
    pub fn parse(raw: &str) -> Self {
        if raw == "admin" {
            Role::Admin
        } else {
            Role::User
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRecord {
    pub token_hash: String,
    pub session_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub spent_at: Option<DateTime<Utc>>,
    pub successor_hash: Option<String>,
    pub successor_sealed: Option<String>,
}

enum Driver {
    Sqlite(sqlite::Sqlite),
    #[cfg(feature = "postgres")]
    Postgres(postgres::Postgres),
}

/// The database (and its task events, see [`events`]): cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store(Arc<Driver>, events::TaskEvents);

impl Store {
    /// Opens the database named by `url` without migrating it. No statement or lock wait takes
    /// longer than `timeout` (then [`StoreError::Unavailable`]).
    pub async fn open_without_migrating(url: &DatabaseUrl, timeout: Duration) -> StoreResult<Self> {
        let driver = match url {
            DatabaseUrl::Sqlite(path) => Driver::Sqlite(sqlite::Sqlite::open(path, timeout).await?),
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(url) => Driver::Postgres(postgres::Postgres::connect(url, timeout).await?),
            #[cfg(not(feature = "postgres"))]
            DatabaseUrl::Postgres(_) => return Err(StoreError::Unsupported("PostgreSQL")),
        };
        Ok(Self(Arc::new(driver), events::TaskEvents::new()))
    }

    /// Brings the schema of the database named by `url` up to date (with [`migrate`]'s longer
    /// timeout), then opens it for requests.
    pub async fn open(url: &DatabaseUrl, timeout: Duration) -> StoreResult<Self> {
        migrate(url).await?;
        Self::open_without_migrating(url, timeout).await
    }

    /// Replaces a SQLite database with the checked backup at `source` (see
    /// [`sqlite::backup::check`]) and brings its schema up to date. PostgreSQL has `pg_restore`.
    pub async fn restore_from(&self, source: &std::path::Path) -> Result<(), sqlite::backup::BackupError> {
        use sqlite::backup::BackupError;
        match &*self.0 {
            Driver::Sqlite(db) => db.restore_from(source).await?,
            #[cfg(feature = "postgres")]
            Driver::Postgres(_) => return Err(BackupError::Io("PostgreSQL is restored with pg_restore".into())),
        }
        self.migrate().await.map(drop).map_err(|e| BackupError::Io(format!("Cannot update the restored database: {e}")))
    }

    /// Applies pending migrations; returns those applied.
    pub async fn migrate(&self) -> StoreResult<Vec<Migration>> {
        migrations::apply(self).await
    }

    pub fn kind(&self) -> DatabaseKind {
        match &*self.0 {
            Driver::Sqlite(_) => DatabaseKind::Sqlite,
            #[cfg(feature = "postgres")]
            Driver::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    /// Every task event on this instance from now on (from any instance, on PostgreSQL: once this
    /// instance listens, waited for up to 5 s, so that a write right after is heard).
    pub async fn task_events(&self) -> tokio::sync::broadcast::Receiver<events::TaskEvent> {
        // Without PostgreSQL built in, the listener's parts go unused.
        #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
        let receiver = self.1.subscribe(|sender, listening| match &*self.0 {
            Driver::Sqlite(_) => None,
            #[cfg(feature = "postgres")]
            Driver::Postgres(db) => Some(db.spawn_listener(sender, listening)),
        });
        self.1.listening(Duration::from_secs(5)).await;
        receiver
    }

    /// After a task write of `owner` committed at `version`: tells this instance's listeners, on
    /// SQLite (on PostgreSQL the write's own `NOTIFY` tells every instance).
    fn task_written(&self, owner: Uuid, version: i64) {
        if matches!(&*self.0, Driver::Sqlite(_)) {
            self.1.publish(events::TaskEvent { owner, version });
        }
    }

    /// The connection pool now, for the metrics.
    pub fn pool_state(&self) -> PoolState {
        match &*self.0 {
            Driver::Sqlite(db) => db.pool_state(),
            #[cfg(feature = "postgres")]
            Driver::Postgres(db) => db.pool_state(),
        }
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> StoreResult<()> {
        self.query("SELECT 1", vec![], |_| Ok(())).await.map(drop)
    }

    /// Runs a read, mapping each row with `map` (on the driver's own thread for SQLite).
    pub async fn query<T, F>(&self, sql: &'static str, params: Vec<Value>, map: F) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send + 'static,
    {
        match &*self.0 {
            Driver::Sqlite(db) => db.query(sql, params, map).await,
            #[cfg(feature = "postgres")]
            Driver::Postgres(db) => db.query(sql, &params, map).await,
        }
    }

    /// The first row of a read, mapped.
    pub async fn query_opt<T, F>(&self, sql: &'static str, params: Vec<Value>, map: F) -> StoreResult<Option<T>>
    where
        T: Send + 'static,
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send + 'static,
    {
        Ok(self.query(sql, params, map).await?.into_iter().next())
    }

    /// Runs one writing statement; the number of rows it changed.
    pub async fn execute(&self, sql: &'static str, params: Vec<Value>) -> StoreResult<u64> {
        match &*self.0 {
            Driver::Sqlite(db) => db.write(sql, params, |_| Ok(())).await.map(|(_, changed)| changed),
            #[cfg(feature = "postgres")]
            Driver::Postgres(db) => db.execute(sql, &params).await,
        }
    }

    /// Runs one writing statement with a `RETURNING` clause; the rows it returned, mapped.
    pub async fn execute_returning<T, F>(&self, sql: &'static str, params: Vec<Value>, map: F) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send + 'static,
    {
        match &*self.0 {
            Driver::Sqlite(db) => db.write(sql, params, map).await.map(|(rows, _)| rows),
            #[cfg(feature = "postgres")]
            Driver::Postgres(db) => db.query(sql, &params, map).await,
        }
    }

    /// Runs `body` in one transaction, committed when it returns `Ok`:
    /// `store.transaction(move |tx| Box::pin(async move { tx.execute(…).await?; … })).await`.
    pub async fn transaction<T, F>(&self, body: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn<'_>) -> TxBody<'c, T> + Send + 'static,
    {
        self.transaction_for(Duration::ZERO, body).await
    }

    /// [`Store::transaction`] for work of many statements, given `longer` on top of the round
    /// trip's bound on PostgreSQL (each statement keeps its own bound; SQLite has none to raise).
    pub async fn transaction_for<T, F>(&self, longer: Duration, body: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn<'_>) -> TxBody<'c, T> + Send + 'static,
    {
        match &*self.0 {
            Driver::Sqlite(db) => {
                let _ = longer;
                db.transaction(body).await
            }
            #[cfg(feature = "postgres")]
            Driver::Postgres(db) => db.transaction(longer, body).await,
        }
    }
}

/// Applies pending migrations without serving (`authdesk-server migrate`); returns those applied.
/// Migrations may take longer than requests (an index on a large table), and another instance
/// migrating is a reason to wait: ten minutes.
pub async fn migrate(url: &DatabaseUrl) -> StoreResult<Vec<Migration>> {
    Store::open_without_migrating(url, MIGRATION_TIMEOUT).await?.migrate().await
}

const MIGRATION_TIMEOUT: Duration = Duration::from_secs(600);

/// The current time at the precision both databases store (microseconds), so a value read back
/// equals the value written on either backend.
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
}
