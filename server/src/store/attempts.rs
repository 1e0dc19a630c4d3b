//! Sliding-window attempt counters (login limits), shared by every instance on the database.

use chrono::{DateTime, Utc};

use super::sql::{args, Conn, Row};
use super::{Store, StoreResult};

/// (count, oldest) of the attempts under (scope, key) since a time.
async fn count_since(
    conn: &mut Conn<'_>,
    scope: &str,
    key: &str,
    since: DateTime<Utc>,
) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
    let sql = "SELECT count(*), min(at) FROM auth_attempts WHERE scope = $1 AND key = $2 AND at > $3";
    conn.query_one(sql, args![scope, key, since], counted).await
}

fn counted(row: &Row) -> StoreResult<(u32, Option<DateTime<Utc>>)> {
    Ok((row.int(0)?.try_into().unwrap_or(u32::MAX), row.opt_time(1)?))
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
                tx.execute("INSERT INTO auth_attempts (scope, key, at) VALUES ($1, $2, $3)", args![scope, key, at])
                    .await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    pub async fn clear_attempts(&self, scope: &str, key: &str) -> StoreResult<()> {
        self.execute("DELETE FROM auth_attempts WHERE scope = $1 AND key = $2", args![scope, key]).await.map(drop)
    }

    /// How many attempts (scope, key) has since `since` (tests and operators read this).
    pub async fn attempts(&self, scope: &str, key: &str, since: DateTime<Utc>) -> StoreResult<u32> {
        let sql = "SELECT count(*) FROM auth_attempts WHERE scope = $1 AND key = $2 AND at > $3";
        self.query_opt(sql, args![scope, key, since], |row| Ok(row.int(0)?.try_into().unwrap_or(u32::MAX)))
            .await
            .map(Option::unwrap_or_default)
    }

    /// Forgets attempts older than `before`, whatever their key.
    pub async fn prune_attempts(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.execute("DELETE FROM auth_attempts WHERE at < $1", args![before]).await
    }
}
