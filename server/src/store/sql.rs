//! The backend-neutral interface the area modules write their SQL against: values of one enum,
//! rows of those values, and a connection (`Conn`) that runs a statement on either driver.
//!
//! Statements are written once, in PostgreSQL's dialect with `$N` placeholders; the SQLite driver
//! translates the placeholders. Neither needs casts: each driver maps [`Value`]s to and from its
//! own column types (UUIDs and timestamps are native in PostgreSQL, RFC 3339 text in SQLite).

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

#[cfg(feature = "postgres")]
use super::postgres;
use super::{sqlite, StoreError, StoreResult};

/// One statement parameter or column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    Uuid(Uuid),
    Time(DateTime<Utc>),
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Uuid(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Time(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Statement parameters: `args![id, email, now]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => { vec![$($crate::store::sql::Value::from($value)),*] };
}
pub(crate) use args;

/// The text form of a timestamp where a database has no timestamp type (SQLite): RFC 3339 in UTC
/// with microseconds, so that text order is time order.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A result row as the driver returned it, read in place by the area's mapping function: nothing is
/// copied but the columns it asks for. The getters map each driver's column types (see the
/// drivers) to the type asked for.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    #[cfg(feature = "postgres")]
    Postgres(&'r tokio_postgres::Row),
}

macro_rules! getters {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty;)*) => {
        impl Row<'_> {
            $($(#[$doc])* pub fn $name(&self, i: usize) -> StoreResult<$ty> {
                match self {
                    Row::Sqlite(row) => sqlite::$name(row, i),
                    #[cfg(feature = "postgres")]
                    Row::Postgres(row) => postgres::$name(row, i),
                }
            })*
        }
    };
}

getters! {
    is_null -> bool;
    text -> String;
    opt_text -> Option<String>;
    int -> i64;
    bool -> bool;
    uuid -> Uuid;
    time -> DateTime<Utc>;
    opt_time -> Option<DateTime<Utc>>;
}

/// A connection inside a transaction (or, for reads, a pooled connection): what area code runs
/// its statements on.
pub enum Conn<'a> {
    Sqlite(&'a mut rusqlite::Connection),
    #[cfg(feature = "postgres")]
    Postgres(&'a deadpool_postgres::Transaction<'a>),
}

/// The body of a transaction: one async block, run by either driver.
pub type TxBody<'c, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'c>>;

impl Conn<'_> {
    /// Runs a statement and maps each row it returns.
    pub async fn query<T, F>(&mut self, sql: &str, params: Vec<Value>, map: F) -> StoreResult<Vec<T>>
    where
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send,
    {
        match self {
            Conn::Sqlite(conn) => sqlite::query(conn, sql, &params, map),
            #[cfg(feature = "postgres")]
            Conn::Postgres(client) => postgres::query(*client, sql, &params, map).await,
        }
    }

    /// The first row's mapping; an error when there is none.
    pub async fn query_one<T, F>(&mut self, sql: &str, params: Vec<Value>, map: F) -> StoreResult<T>
    where
        F: FnMut(&Row<'_>) -> StoreResult<T> + Send,
    {
        self.query(sql, params, map)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Other(format!("no row from: {sql}")))
    }

    /// Runs a statement; the number of rows it changed.
    pub async fn execute(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<u64> {
        match self {
            Conn::Sqlite(conn) => sqlite::execute(conn, sql, &params),
            #[cfg(feature = "postgres")]
            Conn::Postgres(client) => postgres::execute(*client, sql, &params).await,
        }
    }

    /// Runs several statements without parameters (migration scripts).
    pub async fn batch(&mut self, sql: &str) -> StoreResult<()> {
        match self {
            Conn::Sqlite(conn) => conn.execute_batch(sql).map_err(sqlite::map_err),
            #[cfg(feature = "postgres")]
            Conn::Postgres(client) => client.batch_execute(sql).await.map_err(postgres::map_err),
        }
    }

    /// Sends `payload` on `channel` when the transaction commits (PostgreSQL's `NOTIFY`); nothing
    /// on SQLite, whose one process is told directly.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    pub async fn notify(&mut self, channel: &str, payload: &str) -> StoreResult<()> {
        match self {
            Conn::Sqlite(_) => Ok(()),
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => {
                self.execute("SELECT pg_notify($1, $2)", vec![channel.into(), payload.into()]).await.map(drop)
            }
        }
    }

    /// Serialises this transaction with every other one holding the same `key`, until it ends.
    /// SQLite needs nothing: its write transactions are already exclusive.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    pub async fn lock(&mut self, key: &str) -> StoreResult<()> {
        match self {
            Conn::Sqlite(_) => Ok(()),
            #[cfg(feature = "postgres")]
            Conn::Postgres(client) => postgres::advisory_lock(*client, key).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_as_text_sort_as_time() {
        let earlier = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.000006Z").unwrap().with_timezone(&Utc);
        let later = earlier + chrono::TimeDelta::microseconds(1);
        assert_eq!(time_text(earlier), "2026-01-02T03:04:05.000006Z");
        assert!(time_text(earlier) < time_text(later));
    }
}
