//! Storage: one trait, one implementation per database.
//!
//! Handlers only ever see [`Store`] and [`StoreError`]; driver types stay inside the backend
//! modules. Both backends embed their migrations from `migrations/<backend>/` and apply them when
//! opened.

mod migrations;
pub mod postgres;
pub mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use authdesk_contract::Task;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use uuid::Uuid;

use crate::config::DatabaseUrl;

pub use migrations::Migration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (e.g. the email is taken).
    #[error("a row with the same key already exists")]
    Conflict,
    /// The database could not be reached or is too busy to answer now; worth retrying.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// Changes to a task; `None` leaves the field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub completed: Option<bool>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;
    /// A round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    /// Inserts a user; [`StoreError::Conflict`] when the normalised email is taken.
    async fn insert_user(&self, user: &UserRecord) -> StoreResult<()>;
    /// Looks a user up by normalised email.
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<UserRecord>>;
    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;

    /// The owner's tasks, newest first.
    async fn list_tasks(&self, owner: Uuid) -> StoreResult<Vec<Task>>;
    async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>>;
    async fn insert_task(&self, owner: Uuid, task: &Task) -> StoreResult<()>;
    /// Applies `changes` to the owner's task; `None` when the owner has no such task.
    async fn update_task(
        &self,
        owner: Uuid,
        id: Uuid,
        changes: TaskChanges,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Task>>;
    /// `false` when the owner has no such task.
    async fn delete_task(&self, owner: Uuid, id: Uuid) -> StoreResult<bool>;
}

/// Opens the database named by `url` and brings its schema up to date.
pub async fn open(url: &DatabaseUrl) -> StoreResult<Arc<dyn Store>> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(sqlite::SqliteStore::open(path).await?),
        DatabaseUrl::Postgres(conn) => Arc::new(postgres::PostgresStore::connect(conn).await?),
    })
}

/// Applies pending migrations without serving (`authdesk-server migrate`); returns those applied.
pub async fn migrate(url: &DatabaseUrl) -> StoreResult<Vec<Migration>> {
    match url {
        DatabaseUrl::Sqlite(path) => sqlite::SqliteStore::open_without_migrating(path).await?.migrate().await,
        DatabaseUrl::Postgres(conn) => postgres::PostgresStore::connect_without_migrating(conn).await?.migrate().await,
    }
}

/// The current time at the precision both databases store (microseconds), so a value read back
/// equals the value written on either backend.
pub fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
}
