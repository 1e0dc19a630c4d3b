//! PostgreSQL driver (tokio-postgres + deadpool): the shared database for teams, where several
//! server instances run against one database.
//!
//! What is PostgreSQL's own here: connecting (with TLS, see `postgres_tls`) and pooling, the type
//! mapping (native UUIDs and timestamps; a `timestamp without time zone` column, as the original
//! design's `users` table has, is read and written as UTC), and advisory locks. Every statement
//! is prepared once per connection and cached.

use std::error::Error as StdError;
use std::time::Duration;

use bytes::BytesMut;
use chrono::{DateTime, NaiveDateTime, Utc};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::NoTls;
use uuid::Uuid;

use super::postgres_tls;
use super::sql::{Conn, Row, TxBody, Value};
use super::{StoreError, StoreResult};

const POOL_SIZE: usize = 16;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Postgres {
    pool: Pool,
    /// What a connection of its own is opened with: task events' `LISTEN` (see `postgres_listen`).
    listen: Box<(tokio_postgres::Config, Option<tokio_postgres_rustls::MakeRustlsConnect>)>,
    /// The bound on every round trip and transaction, enforced here as well as by the server:
    /// the server's own timeouts do nothing when it, or the network to it, stops answering.
    call_timeout: Duration,
}

impl Postgres {
    /// The pool's connections, those in use, and the calls waiting for one.
    pub fn pool_state(&self) -> super::PoolState {
        let status = self.pool.status();
        super::PoolState { size: status.size, in_use: status.size - status.available, waiting: status.waiting }
    }

    /// Connects (failing at once, with the driver's reason, when the server does not answer);
    /// does not migrate. Every statement and lock wait is bounded by `timeout` on the server.
    pub async fn connect(url: &str, timeout: Duration) -> StoreResult<Self> {
        let target = postgres_tls::parse(url)?;
        let mut config: tokio_postgres::Config =
            target.url.parse().map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT.min(timeout.max(Duration::from_secs(1))));
        // With the session in UTC, `timestamp` columns (the original design's) hold UTC. A lock
        // held by another client, a runaway statement or a transaction left open fails in bounded
        // time (SQLSTATE 55P03, 57014, 25P03: 503 to the client) instead of hanging the request.
        let ms = timeout.as_millis().max(1);
        config.options(format!(
            "-c TimeZone=UTC -c statement_timeout={ms} -c lock_timeout={ms} -c idle_in_transaction_session_timeout={}",
            ms * 2
        ));
        if config.get_application_name().is_none() {
            config.application_name("authdesk-server");
        }
        let manager_config = ManagerConfig { recycling_method: RecyclingMethod::Fast };
        let tls = postgres_tls::connector(&target)?;
        let listen = Box::new((config.clone(), tls.clone()));
        let manager = match tls {
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
        // Past the server-side timeouts, plus a margin for the round trip.
        let driver = Self { pool, listen, call_timeout: timeout + Duration::from_secs(1) };
        log_connected(driver.connection_is_encrypted().await?, target.mode);
        Ok(driver)
    }

    /// `work`, unless it takes longer than the call timeout: the server stopped answering.
    async fn bounded<T>(&self, work: impl std::future::Future<Output = StoreResult<T>>) -> StoreResult<T> {
        self.bounded_for(Duration::ZERO, work).await
    }

    /// [`Postgres::bounded`], `longer` allowed on top (a transaction of many statements).
    async fn bounded_for<T>(
        &self,
        longer: Duration,
        work: impl std::future::Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let deadline = self.call_timeout + longer;
        match tokio::time::timeout(deadline, work).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::Unavailable(format!("no answer within {deadline:?}"))),
        }
    }

    /// Starts listening for task events on a connection of its own, handing them to `sender`.
    pub fn spawn_listener(
        &self,
        sender: tokio::sync::broadcast::Sender<super::events::TaskEvent>,
        listening: tokio::sync::watch::Sender<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let (config, tls) = (*self.listen).clone();
        let deliver = move |payload: &str| {
            if let Some(event) = super::events::TaskEvent::parse(payload) {
                let _ = sender.send(event);
            }
        };
        let on_listening = move |now: bool| {
            let _ = listening.send(now);
        };
        tokio::spawn(super::postgres_listen::listen(config, tls, super::events::CHANNEL, deliver, on_listening))
    }

    /// Whether this driver's connections to the server are encrypted.
    pub async fn connection_is_encrypted(&self) -> StoreResult<bool> {
        let sql = "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)";
        let rows = self.query(sql, &[], |row| row.bool(0)).await?;
        rows.first().copied().ok_or_else(|| StoreError::Other("no answer".into()))
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Client> {
        self.pool.get().await.map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    pub async fn query<T>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnMut(&Row<'_>) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        self.bounded(async { query(&self.client().await?, sql, params, map).await }).await
    }

    pub async fn execute(&self, sql: &str, params: &[Value]) -> StoreResult<u64> {
        self.bounded(async { execute(&self.client().await?, sql, params).await }).await
    }

    /// Runs `body` in a transaction, committing on `Ok` (dropping an uncommitted transaction rolls
    /// it back).
    pub async fn transaction<T, F>(&self, longer: Duration, body: F) -> StoreResult<T>
    where
        F: for<'c> FnOnce(&'c mut Conn<'_>) -> TxBody<'c, T>,
    {
        // A dropped (timed-out) transaction is rolled back as its connection is returned.
        self.bounded_for(longer, async {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(map_err)?;
            let value = body(&mut Conn::Postgres(&tx)).await?;
            tx.commit().await.map_err(map_err)?;
            Ok(value)
        })
        .await
    }
}

/// Logging from a plain function: with some tracing features (as the desktop app's dependency
/// graph enables) the macro's temporaries are not `Send`, and `build()` must stay `Send`.
fn log_connected(tls: bool, mode: postgres_tls::SslMode) {
    tracing::info!(tls, sslmode = ?mode, "connected to PostgreSQL");
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

pub(super) async fn query<T>(
    client: &impl GenericClient,
    sql: &str,
    params: &[Value],
    mut map: impl FnMut(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let statement = client.prepare_cached(sql).await.map_err(map_err)?;
    let rows = client.query(&statement, &refs(params)).await.map_err(map_err)?;
    rows.iter().map(|row| map(&Row::Postgres(row))).collect()
}

pub(super) async fn execute(client: &impl GenericClient, sql: &str, params: &[Value]) -> StoreResult<u64> {
    let statement = client.prepare_cached(sql).await.map_err(map_err)?;
    client.execute(&statement, &refs(params)).await.map_err(map_err)
}

/// A transaction-scoped advisory lock on `key` (released at commit or rollback).
pub(super) async fn advisory_lock(client: &impl GenericClient, key: &str) -> StoreResult<()> {
    execute(client, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &[Value::Text(key.into())]).await.map(drop)
}

// The type mapping, read side: native types; a `timestamp without time zone` column holds UTC.

fn get<'a, T: tokio_postgres::types::FromSql<'a>>(row: &'a tokio_postgres::Row, i: usize) -> StoreResult<T> {
    row.try_get(i).map_err(|e| StoreError::Other(format!("column {i}: {e}")))
}

pub(super) fn is_null(row: &tokio_postgres::Row, i: usize) -> StoreResult<bool> {
    // Any column reads as a nullable raw value; only its presence matters.
    Ok(get::<Option<RawValue>>(row, i)?.is_none())
}

pub(super) fn text(row: &tokio_postgres::Row, i: usize) -> StoreResult<String> {
    get(row, i)
}

pub(super) fn opt_text(row: &tokio_postgres::Row, i: usize) -> StoreResult<Option<String>> {
    get(row, i)
}

pub(super) fn int(row: &tokio_postgres::Row, i: usize) -> StoreResult<i64> {
    match *row.columns()[i].type_() {
        Type::INT4 => get::<i32>(row, i).map(i64::from),
        Type::INT2 => get::<i16>(row, i).map(i64::from),
        _ => get(row, i),
    }
}

pub(super) fn bool(row: &tokio_postgres::Row, i: usize) -> StoreResult<bool> {
    get(row, i)
}

pub(super) fn uuid(row: &tokio_postgres::Row, i: usize) -> StoreResult<Uuid> {
    get(row, i)
}

pub(super) fn opt_time(row: &tokio_postgres::Row, i: usize) -> StoreResult<Option<DateTime<Utc>>> {
    match *row.columns()[i].type_() {
        Type::TIMESTAMP => Ok(get::<Option<NaiveDateTime>>(row, i)?.map(|t| t.and_utc())),
        _ => get(row, i),
    }
}

pub(super) fn time(row: &tokio_postgres::Row, i: usize) -> StoreResult<DateTime<Utc>> {
    opt_time(row, i)?.ok_or_else(|| StoreError::Other(format!("column {i} is NULL")))
}

/// Accepts any column type without decoding it (for [`is_null`]).
struct RawValue;

impl<'a> tokio_postgres::types::FromSql<'a> for RawValue {
    fn from_sql(_: &Type, _: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(RawValue)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Each value is written as the type the statement expects where both make sense: a UUID into a
/// text column as its text, a timestamp into a `timestamp without time zone` column as UTC.
impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Int(n) => match *ty {
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            Value::Text(s) => s.to_sql(ty, out),
            Value::Uuid(u) if *ty == Type::UUID => u.to_sql(ty, out),
            Value::Uuid(u) => u.to_string().to_sql(ty, out),
            Value::Time(t) if *ty == Type::TIMESTAMP => t.naive_utc().to_sql(ty, out),
            Value::Time(t) => t.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked per value in `to_sql`, where the inner type's own conversion refuses a mismatch.
        true
    }

    to_sql_checked!();
}

pub(super) fn map_err(e: tokio_postgres::Error) -> StoreError {
    match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::Conflict,
        Some(code) if *code == SqlState::FOREIGN_KEY_VIOLATION => StoreError::Gone,
        Some(code)
            if ["08", "57", "53"].iter().any(|class| code.code().starts_with(class))
                || *code == SqlState::LOCK_NOT_AVAILABLE
                || *code == SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT =>
        {
            // Connection exceptions, operator intervention (shutdown, and statement_timeout's
            // query_canceled), insufficient resources, lock_timeout, an idle transaction ended.
            StoreError::Unavailable(e.to_string())
        }
        // "db error" alone says nothing: the server's own message and code go to the log.
        Some(code) => StoreError::Other(match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), code.code()),
            None => e.to_string(),
        }),
        // No SQLSTATE: the connection failed (I/O, TLS, closed, timed out).
        None => StoreError::Unavailable(e.to_string()),
    }
}
