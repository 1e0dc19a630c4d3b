//! PostgreSQL backend (tokio-postgres + deadpool): the shared database for teams, where several
//! server instances run against one database. Migrations take an advisory lock so instances
//! starting together apply each migration exactly once.

use std::time::Duration;

use async_trait::async_trait;
use authdesk_contract::Task;
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};
use uuid::Uuid;

use super::migrations::{self, Migration};
use super::{Backend, Store, StoreError, StoreResult, TaskChanges, UserRecord};

const POOL_SIZE: usize = 16;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Arbitrary constant naming authdesk's migration lock among other advisory-lock users.
const MIGRATION_LOCK_KEY: i64 = 0x6175_7468_6465_736b; // "authdesk"

pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let store = Self::connect_without_migrating(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn connect_without_migrating(url: &str) -> StoreResult<Self> {
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("authdesk-server");
        }
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let store = Self { pool };
        // Fail at start, with the driver's reason, rather than on the first request.
        store.ping().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> StoreResult<Vec<Migration>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY]).await.map_err(map_err)?;
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {} (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            migrations::TABLE
        ))
        .await
        .map_err(map_err)?;
        let applied: Vec<i64> = tx
            .query(&format!("SELECT version FROM {}", migrations::TABLE), &[])
            .await
            .map_err(map_err)?
            .iter()
            .map(|row| row.get(0))
            .collect();
        let pending = migrations::pending(migrations::POSTGRES, &applied);
        for m in &pending {
            tx.batch_execute(m.sql).await.map_err(map_err)?;
            tx.execute(
                &format!("INSERT INTO {} (version, name) VALUES ($1, $2)", migrations::TABLE),
                &[&m.version, &m.name],
            )
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(pending)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Client> {
        self.pool.get().await.map_err(|e| StoreError::Unavailable(e.to_string()))
    }
}

fn map_err(e: tokio_postgres::Error) -> StoreError {
    match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::Conflict,
        Some(code)
            if code.code().starts_with("08") || code.code().starts_with("57") || code.code().starts_with("53") =>
        {
            // Connection exceptions, operator intervention (shutdown), insufficient resources.
            StoreError::Unavailable(e.to_string())
        }
        Some(_) => StoreError::Other(e.to_string()),
        None => StoreError::Unavailable(e.to_string()),
    }
}

const USER_COLUMNS: &str = "id, email, password_hash, created_at, last_login_at";

fn user_from_row(row: &Row) -> UserRecord {
    UserRecord {
        id: row.get(0),
        email: row.get(1),
        password_hash: row.get(2),
        created_at: row.get(3),
        last_login_at: row.get(4),
    }
}

const TASK_COLUMNS: &str = "id, title, completed, created_at, updated_at";

fn task_from_row(row: &Row) -> Task {
    Task { id: row.get(0), title: row.get(1), completed: row.get(2), created_at: row.get(3), updated_at: row.get(4) }
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> StoreResult<()> {
        self.client().await?.simple_query("SELECT 1").await.map_err(map_err).map(drop)
    }

    async fn insert_user(&self, u: &UserRecord) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                &format!("INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"),
                &[&u.id, &u.email, &u.password_hash, &u.created_at, &u.last_login_at],
            )
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE lower(email) = $1"))
            .await
            .map_err(map_err)?;
        Ok(client.query_opt(&stmt, &[&email]).await.map_err(map_err)?.as_ref().map(user_from_row))
    }

    async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<UserRecord>> {
        let client = self.client().await?;
        let stmt =
            client.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).await.map_err(map_err)?;
        Ok(client.query_opt(&stmt, &[&id]).await.map_err(map_err)?.as_ref().map(user_from_row))
    }

    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.client()
            .await?
            .execute("UPDATE users SET last_login_at = $1 WHERE id = $2", &[&at, &id])
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn list_tasks(&self, owner: Uuid) -> StoreResult<Vec<Task>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, seq DESC"
            ))
            .await
            .map_err(map_err)?;
        Ok(client.query(&stmt, &[&owner]).await.map_err(map_err)?.iter().map(task_from_row).collect())
    }

    async fn task(&self, owner: Uuid, id: Uuid) -> StoreResult<Option<Task>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2"))
            .await
            .map_err(map_err)?;
        Ok(client.query_opt(&stmt, &[&id, &owner]).await.map_err(map_err)?.as_ref().map(task_from_row))
    }

    async fn insert_task(&self, owner: Uuid, t: &Task) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&t.id, &owner, &t.title, &t.completed, &t.created_at, &t.updated_at],
            )
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn update_task(
        &self,
        owner: Uuid,
        id: Uuid,
        changes: TaskChanges,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Task>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "UPDATE tasks SET title = coalesce($1, title), completed = coalesce($2, completed), updated_at = $3
                     WHERE id = $4 AND user_id = $5 RETURNING {TASK_COLUMNS}"
                ),
                &[&changes.title, &changes.completed, &at, &id, &owner],
            )
            .await
            .map_err(map_err)?;
        Ok(row.as_ref().map(task_from_row))
    }

    async fn delete_task(&self, owner: Uuid, id: Uuid) -> StoreResult<bool> {
        let n = self
            .client()
            .await?
            .execute("DELETE FROM tasks WHERE id = $1 AND user_id = $2", &[&id, &owner])
            .await
            .map_err(map_err)?;
        Ok(n > 0)
    }
}
