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

use super::{postgres, sqlite, StoreError, StoreResult};

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

/// A result row. Getters accept each driver's representation of the type asked for.
#[derive(Debug, Clone)]
pub struct Row(pub(super) Vec<Value>);

impl Row {
    fn get(&self, i: usize) -> StoreResult<&Value> {
        self.0.get(i).ok_or_else(|| StoreError::Other(format!("no column {i} in the result")))
    }

    fn unexpected<T>(&self, i: usize, wanted: &str) -> StoreResult<T> {
        Err(StoreError::Other(format!("column {i}: expected {wanted}, found {:?}", self.0.get(i))))
    }

    pub fn is_null(&self, i: usize) -> bool {
        matches!(self.0.get(i), Some(Value::Null))
    }

    pub fn text(&self, i: usize) -> StoreResult<String> {
        match self.get(i)? {
            Value::Text(s) => Ok(s.clone()),
            _ => self.unexpected(i, "text"),
        }
    }

    pub fn opt_text(&self, i: usize) -> StoreResult<Option<String>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }

    pub fn int(&self, i: usize) -> StoreResult<i64> {
        match self.get(i)? {
            Value::Int(n) => Ok(*n),
            _ => self.unexpected(i, "an integer"),
        }
    }

    pub fn bool(&self, i: usize) -> StoreResult<bool> {
        match self.get(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(n) => Ok(*n != 0),
            _ => self.unexpected(i, "a boolean"),
        }
    }

    pub fn uuid(&self, i: usize) -> StoreResult<Uuid> {
        match self.get(i)? {
            Value::Uuid(u) => Ok(*u),
            Value::Text(s) => Uuid::parse_str(s).or_else(|_| self.unexpected(i, "a UUID")),
            _ => self.unexpected(i, "a UUID"),
        }
    }

    pub fn time(&self, i: usize) -> StoreResult<DateTime<Utc>> {
        match self.get(i)? {
            Value::Time(t) => Ok(*t),
            Value::Text(s) => DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .or_else(|_| self.unexpected(i, "a timestamp")),
            _ => self.unexpected(i, "a timestamp"),
        }
    }

    pub fn opt_time(&self, i: usize) -> StoreResult<Option<DateTime<Utc>>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            _ => self.time(i).map(Some),
        }
    }
}

/// A connection inside a transaction (or, for reads, a pooled connection): what area code runs
/// its statements on.
pub enum Conn<'a> {
    Sqlite(&'a mut rusqlite::Connection),
    Postgres(&'a deadpool_postgres::Transaction<'a>),
}

/// The body of a transaction: one async block, run by either driver.
pub type TxBody<'c, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'c>>;

impl Conn<'_> {
    pub async fn query(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<Vec<Row>> {
        match self {
            Conn::Sqlite(conn) => sqlite::query(conn, sql, &params),
            Conn::Postgres(client) => postgres::query(*client, sql, &params).await,
        }
    }

    pub async fn query_opt(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<Option<Row>> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    pub async fn query_one(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<Row> {
        self.query_opt(sql, params).await?.ok_or_else(|| StoreError::Other(format!("no row from: {sql}")))
    }

    /// Runs a statement; the number of rows it changed.
    pub async fn execute(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<u64> {
        match self {
            Conn::Sqlite(conn) => sqlite::execute(conn, sql, &params),
            Conn::Postgres(client) => postgres::execute(*client, sql, &params).await,
        }
    }

    /// Runs several statements without parameters (migration scripts).
    pub async fn batch(&mut self, sql: &str) -> StoreResult<()> {
        match self {
            Conn::Sqlite(conn) => conn.execute_batch(sql).map_err(sqlite::map_err),
            Conn::Postgres(client) => client.batch_execute(sql).await.map_err(postgres::map_err),
        }
    }

    /// Serialises this transaction with every other one holding the same `key`, until it ends.
    /// SQLite needs nothing: its write transactions are already exclusive.
    pub async fn lock(&mut self, key: &str) -> StoreResult<()> {
        match self {
            Conn::Sqlite(_) => Ok(()),
            Conn::Postgres(client) => postgres::advisory_lock(*client, key).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_either_drivers_representation() {
        let at = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.000006Z").unwrap().with_timezone(&Utc);
        let id = Uuid::new_v4();
        let native = Row(vec![Value::Uuid(id), Value::Time(at), Value::Bool(true), Value::Null]);
        let text = Row(vec![Value::Text(id.to_string()), Value::Text(time_text(at)), Value::Int(1), Value::Null]);
        for row in [native, text] {
            assert_eq!(row.uuid(0).unwrap(), id);
            assert_eq!(row.time(1).unwrap(), at);
            assert!(row.bool(2).unwrap());
            assert_eq!(row.opt_time(3).unwrap(), None);
            assert!(row.text(2).is_err(), "a wrong type is an error, not a default");
            assert!(row.int(9).is_err());
        }
        assert_eq!(time_text(at), "2026-01-02T03:04:05.000006Z");
    }
}
