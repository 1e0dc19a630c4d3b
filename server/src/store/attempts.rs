//! Sliding-window attempt counters (login limits), shared by every instance on the database.

use chrono::{DateTime, Utc};

use super::sql::{args, Conn, Row};
use super::{Store, StoreResult};

const COUNT_SINCE: &str = "SELECT count(*), min(at) FROM auth_attempts WHERE scope = $1 AND key = $2 AND at > $3";
const INSERT: &str = "INSERT INTO auth_attempts (scope, key, at) VALUES ($1, $2, $3)";

/// (count, oldest) from a [`COUNT_SINCE`] row.
fn counted(row: &Row) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
    Ok((row.int(0)?.try_into().unwrap_or(u32::MAX), row.opt_time(1)?))
}

async fn count_since(
    conn: &mut Conn<'_>,
    scope: &str,
    key: &str,
    since: DateTime<Utc>,
) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
    conn.query_one(COUNT_SINCE, args![scope, key, since], counted).await
}

impl Store {
    /// Records an attempt under (scope, key) unless `max` were recorded since `since`; then returns
    /// the oldest of those. Count-then-insert is atomic across every instance on the database.
    pub async fn try_attempt(
        &self,
        scope: &str,
        key: &str,
        max: u32,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<(), DateTime<Utc>>> {
        let (scope, key) = (scope.to_owned(), key.to_owned());
        self.transaction(move |tx| {
            Box::pin(async move {
                tx.lock(&format!("{scope}:{key}")).await?;
                let sql = "DELETE FROM auth_attempts WHERE scope = $1 AND key = $2 AND at <= $3";
                tx.execute(sql, args![&scope, &key, since]).await?;
                let (count, oldest) = count_since(tx, &scope, &key, since).await?;
                if count >= max {
                    return Ok(Err(oldest.unwrap_or(at)));
                }
                tx.execute(INSERT, args![scope, key, at]).await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// How many attempts (scope, key) has since `since`, and the oldest of them.
    pub async fn attempts(
        &self,
        scope: &str,
        key: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
        Ok(self.query_opt(COUNT_SINCE, args![scope, key, since], counted).await?.unwrap_or((0, None)))
    }

    pub async fn add_attempt(&self, scope: &str, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.execute(INSERT, args![scope, key, at]).await.map(drop)
    }

    pub async fn clear_attempts(&self, scope: &str, key: &str) -> StoreResult<()> {
        self.execute("DELETE FROM auth_attempts WHERE scope = $1 AND key = $2", args![scope, key]).await.map(drop)
    }

    /// Forgets attempts older than `before`, whatever their key.
    pub async fn prune_attempts(&self, before: DateTime<Utc>) -> StoreResult<()> {
        self.execute("DELETE FROM auth_attempts WHERE at < $1", args![before]).await.map(drop)
    }
}
