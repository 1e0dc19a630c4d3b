//! Storage: one trait, one implementation per database.
//!
//! Handlers only ever see [`Store`] and [`StoreError`]; driver types stay inside the backend
//! modules. Both backends embed their migrations from `migrations/<backend>/` and apply them when
//! opened.

mod migrations;
pub mod postgres;
mod postgres_tls;
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
    /// Tokens without a session id issued before this instant are refused.
    pub tokens_not_before: Option<DateTime<Utc>>,
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
    /// The user, and whether `session` (when given) is theirs and not revoked: what every
    /// authenticated request checks, in one round trip.
    async fn user_and_session(&self, id: Uuid, session: Option<Uuid>) -> StoreResult<Option<(UserRecord, bool)>>;
    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    /// Replaces the hash only if it is still `old` (an upgrade on login must not undo a password
    /// change that raced it); `false` when it was not.
    async fn upgrade_password_hash(&self, id: Uuid, old: &str, new: &str) -> StoreResult<bool>;
    /// In one transaction: sets the new hash, refuses older session-less tokens, and revokes every
    /// session but `keep`.
    async fn change_password(&self, id: Uuid, new_hash: &str, keep: Option<Uuid>, at: DateTime<Utc>)
        -> StoreResult<()>;
    /// Removes the user with their tasks, sessions, refresh tokens and attempt counters, in one
    /// transaction; `false` when there was no such user.
    async fn delete_user(&self, id: Uuid, email: &str) -> StoreResult<bool>;

    /// Creates a session with its first refresh token.
    async fn create_session(&self, session: &SessionRecord, refresh: &RefreshRecord) -> StoreResult<()>;
    async fn session(&self, id: Uuid) -> StoreResult<Option<SessionRecord>>;
    /// The user's sessions that are neither revoked nor expired at `now`, newest first.
    async fn live_sessions(&self, user: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<SessionRecord>>;
    /// Revokes the user's session `id`; `false` when the user has no such live session.
    async fn revoke_session(&self, user: Uuid, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Revokes every live session of the user and refuses their older session-less tokens.
    async fn revoke_all_sessions(&self, user: Uuid, at: DateTime<Utc>) -> StoreResult<u64>;
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshRecord>>;
    /// Atomically spends `old_hash` (only if unspent), records its sealed successor, inserts `new`
    /// and extends the session; `false` when another request spent it first.
    async fn rotate_refresh(
        &self,
        old_hash: &str,
        new: &RefreshRecord,
        sealed: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn touch_session(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;

    /// Sliding-window limiter shared by every instance on the database: records an attempt under
    /// (scope, key) unless `max` were recorded since `since`; then returns the oldest of those.
    async fn try_attempt(
        &self,
        scope: &str,
        key: &str,
        max: u32,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<(), DateTime<Utc>>>;
    /// How many attempts (scope, key) has since `since`, and the oldest of them.
    async fn attempts(&self, scope: &str, key: &str, since: DateTime<Utc>)
        -> StoreResult<(u32, Option<DateTime<Utc>>)>;
    async fn add_attempt(&self, scope: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn clear_attempts(&self, scope: &str, key: &str) -> StoreResult<()>;
    /// Forgets attempts older than `before`, whatever their key.
    async fn prune_attempts(&self, before: DateTime<Utc>) -> StoreResult<()>;

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
