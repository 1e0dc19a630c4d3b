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
use super::postgres_tls;
use super::{Backend, RefreshRecord, SessionRecord, Store, StoreError, StoreResult, TaskChanges, UserRecord};

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
        let target = postgres_tls::parse(url)?;
        let mut config: tokio_postgres::Config =
            target.url.parse().map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        // A users table created by the original design may use `timestamp` (without time zone);
        // with the session in UTC, `::timestamptz` reads such values as UTC and writes convert back.
        config.options("-c TimeZone=UTC");
        if config.get_application_name().is_none() {
            config.application_name("authdesk-server");
        }
        let manager_config = ManagerConfig { recycling_method: RecyclingMethod::Fast };
        let manager = match postgres_tls::connector(&target)? {
            Some(tls) => Manager::from_config(config, tls, manager_config),
            None => Manager::from_config(config, NoTls, manager_config),
        };
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
        log_connected(store.connection_is_encrypted().await?, target.mode);
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

    /// Whether this store's connections to the server are encrypted.
    pub async fn connection_is_encrypted(&self) -> StoreResult<bool> {
        let row = self
            .client()
            .await?
            .query_one("SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)", &[])
            .await
            .map_err(map_err)?;
        Ok(row.get(0))
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Client> {
        self.pool.get().await.map_err(|e| StoreError::Unavailable(e.to_string()))
    }
}

/// Logging from a plain function: with some tracing features (as the desktop app's dependency
/// graph enables) the macro's temporaries are not `Send`, and `build()` must stay `Send`.
fn log_connected(tls: bool, mode: postgres_tls::SslMode) {
    tracing::info!(tls, sslmode = ?mode, "connected to PostgreSQL");
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

const USER_COLUMNS: &str =
    "id, email, password_hash, created_at::timestamptz, last_login_at::timestamptz, tokens_not_before";

fn user_from_row(row: &Row) -> UserRecord {
    UserRecord {
        id: row.get(0),
        email: row.get(1),
        password_hash: row.get(2),
        created_at: row.get(3),
        last_login_at: row.get(4),
        tokens_not_before: row.get(5),
    }
}

const SESSION_COLUMNS: &str = "id, user_id, label, created_at, last_used_at, expires_at, revoked_at";

fn session_from_row(row: &Row) -> SessionRecord {
    SessionRecord {
        id: row.get(0),
        user_id: row.get(1),
        label: row.get(2),
        created_at: row.get(3),
        last_used_at: row.get(4),
        expires_at: row.get(5),
        revoked_at: row.get(6),
    }
}

const REFRESH_COLUMNS: &str =
    "token_hash, session_id, created_at, expires_at, spent_at, successor_hash, successor_sealed";

fn refresh_from_row(row: &Row) -> RefreshRecord {
    RefreshRecord {
        token_hash: row.get(0),
        session_id: row.get(1),
        created_at: row.get(2),
        expires_at: row.get(3),
        spent_at: row.get(4),
        successor_hash: row.get(5),
        successor_sealed: row.get(6),
    }
}

async fn insert_refresh(client: &impl deadpool_postgres::GenericClient, r: &RefreshRecord) -> StoreResult<()> {
    client
        .execute(
            &format!("INSERT INTO refresh_tokens ({REFRESH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
            &[
                &r.token_hash,
                &r.session_id,
                &r.created_at,
                &r.expires_at,
                &r.spent_at,
                &r.successor_hash,
                &r.successor_sealed,
            ],
        )
        .await
        .map_err(map_err)
        .map(drop)
}

async fn attempts_since(
    client: &impl deadpool_postgres::GenericClient,
    scope: &str,
    key: &str,
    since: DateTime<Utc>,
) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
    let row = client
        .query_one(
            "SELECT count(*), min(at) FROM auth_attempts WHERE scope = $1 AND key = $2 AND at > $3",
            &[&scope, &key, &since],
        )
        .await
        .map_err(map_err)?;
    Ok((row.get::<_, i64>(0) as u32, row.get(1)))
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
                "INSERT INTO users (id, email, password_hash, created_at, last_login_at)
                 VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)",
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

    async fn user_and_session(&self, id: Uuid, session: Option<Uuid>) -> StoreResult<Option<(UserRecord, bool)>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT u.id, u.email, u.password_hash, u.created_at::timestamptz, u.last_login_at::timestamptz,
                        u.tokens_not_before, s.id IS NOT NULL AND s.revoked_at IS NULL
                 FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
                 WHERE u.id = $1",
            )
            .await
            .map_err(map_err)?;
        let row = client.query_opt(&stmt, &[&id, &session]).await.map_err(map_err)?;
        Ok(row.map(|row| (user_from_row(&row), row.get(6))))
    }

    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.client()
            .await?
            .execute("UPDATE users SET last_login_at = $1::timestamptz WHERE id = $2", &[&at, &id])
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

    async fn upgrade_password_hash(&self, id: Uuid, old: &str, new: &str) -> StoreResult<bool> {
        let n = self
            .client()
            .await?
            .execute("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3", &[&new, &id, &old])
            .await
            .map_err(map_err)?;
        Ok(n > 0)
    }

    async fn change_password(
        &self,
        id: Uuid,
        new_hash: &str,
        keep: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        tx.execute("UPDATE users SET password_hash = $1, tokens_not_before = $2 WHERE id = $3", &[&new_hash, &at, &id])
            .await
            .map_err(map_err)?;
        tx.execute(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id IS DISTINCT FROM $3",
            &[&at, &id, &keep],
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_user(&self, id: Uuid, email: &str) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        tx.execute("DELETE FROM auth_attempts WHERE key = $1 OR key = $2", &[&email, &id.to_string()])
            .await
            .map_err(map_err)?;
        // Tasks, sessions and refresh tokens go with the user (ON DELETE CASCADE).
        let n = tx.execute("DELETE FROM users WHERE id = $1", &[&id]).await.map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(n > 0)
    }

    async fn create_session(&self, s: &SessionRecord, refresh: &RefreshRecord) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        tx.execute(
            &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
            &[&s.id, &s.user_id, &s.label, &s.created_at, &s.last_used_at, &s.expires_at, &s.revoked_at],
        )
        .await
        .map_err(map_err)?;
        insert_refresh(&tx, refresh).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn session(&self, id: Uuid) -> StoreResult<Option<SessionRecord>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"))
            .await
            .map_err(map_err)?;
        Ok(client.query_opt(&stmt, &[&id]).await.map_err(map_err)?.as_ref().map(session_from_row))
    }

    async fn live_sessions(&self, user: Uuid, now: DateTime<Utc>) -> StoreResult<Vec<SessionRecord>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
                     ORDER BY created_at DESC"
                ),
                &[&user, &now],
            )
            .await
            .map_err(map_err)?;
        Ok(rows.iter().map(session_from_row).collect())
    }

    async fn revoke_session(&self, user: Uuid, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                &[&at, &id, &user],
            )
            .await
            .map_err(map_err)?;
        Ok(n > 0)
    }

    async fn revoke_all_sessions(&self, user: Uuid, at: DateTime<Utc>) -> StoreResult<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        tx.execute("UPDATE users SET tokens_not_before = $1 WHERE id = $2", &[&at, &user]).await.map_err(map_err)?;
        let n = tx
            .execute("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", &[&at, &user])
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(n)
    }

    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshRecord>> {
        let client = self.client().await?;
        let row = client
            .query_opt(&format!("SELECT {REFRESH_COLUMNS} FROM refresh_tokens WHERE token_hash = $1"), &[&token_hash])
            .await
            .map_err(map_err)?;
        Ok(row.as_ref().map(refresh_from_row))
    }

    async fn rotate_refresh(
        &self,
        old_hash: &str,
        new: &RefreshRecord,
        sealed: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        // The row lock taken by this UPDATE makes a concurrent rotation of the same token wait, then
        // see spent_at set and update nothing.
        let spent = tx
            .execute(
                "UPDATE refresh_tokens SET spent_at = $1, successor_hash = $2, successor_sealed = $3
                 WHERE token_hash = $4 AND spent_at IS NULL",
                &[&at, &new.token_hash, &sealed, &old_hash],
            )
            .await
            .map_err(map_err)?;
        if spent == 0 {
            return Ok(false);
        }
        insert_refresh(&tx, new).await?;
        tx.execute(
            "UPDATE sessions SET last_used_at = $1, expires_at = $2 WHERE id = $3",
            &[&at, &new.expires_at, &new.session_id],
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn touch_session(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        self.client()
            .await?
            .execute("UPDATE sessions SET last_used_at = $1 WHERE id = $2", &[&at, &id])
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn try_attempt(
        &self,
        scope: &str,
        key: &str,
        max: u32,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<(), DateTime<Utc>>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        // Serialises count-then-insert for this key across every instance on the database.
        tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))", &[&scope, &key])
            .await
            .map_err(map_err)?;
        tx.execute("DELETE FROM auth_attempts WHERE scope = $1 AND key = $2 AND at <= $3", &[&scope, &key, &since])
            .await
            .map_err(map_err)?;
        let (count, oldest) = attempts_since(&tx, scope, key, since).await?;
        if count >= max {
            tx.commit().await.map_err(map_err)?;
            return Ok(Err(oldest.unwrap_or(at)));
        }
        tx.execute("INSERT INTO auth_attempts (scope, key, at) VALUES ($1, $2, $3)", &[&scope, &key, &at])
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(Ok(()))
    }

    async fn attempts(
        &self,
        scope: &str,
        key: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
        attempts_since(&self.client().await?, scope, key, since).await
    }

    async fn add_attempt(&self, scope: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.client()
            .await?
            .execute("INSERT INTO auth_attempts (scope, key, at) VALUES ($1, $2, $3)", &[&scope, &key, &at])
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn clear_attempts(&self, scope: &str, key: &str) -> StoreResult<()> {
        self.client()
            .await?
            .execute("DELETE FROM auth_attempts WHERE scope = $1 AND key = $2", &[&scope, &key])
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn prune_attempts(&self, before: DateTime<Utc>) -> StoreResult<()> {
        self.client()
            .await?
            .execute("DELETE FROM auth_attempts WHERE at < $1", &[&before])
            .await
            .map_err(map_err)
            .map(drop)
    }
}
