//! The clients each account signed in from, as fingerprints (a hash of the client's name and
//! network): what tells a new sign-in from a familiar one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sql::args;
use super::{Store, StoreResult};

/// Fingerprints kept per account; the least recently seen goes first. Only the account's own
/// successful sign-ins add one, so nobody else can grow the list.
pub const MAX_KNOWN_CLIENTS: i64 = 50;

impl Store {
    /// Records a sign-in of `user` from `fingerprint` at `at`, and says whether the client is new
    /// to an account that had signed in from another client before: the new sign-in alert's
    /// condition (an account's first sign-in, and a familiar client, are not news).
    pub async fn record_sign_in_client(&self, user: Uuid, fingerprint: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let fingerprint = fingerprint.to_owned();
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql =
                    "INSERT INTO known_clients (user_id, fingerprint, first_seen, last_seen) VALUES ($1, $2, $3, $3)
                           ON CONFLICT (user_id, fingerprint) DO NOTHING";
                if tx.execute(sql, args![user, &fingerprint, at]).await? == 0 {
                    let sql = "UPDATE known_clients SET last_seen = $3 WHERE user_id = $1 AND fingerprint = $2";
                    tx.execute(sql, args![user, &fingerprint, at]).await?;
                    return Ok(false);
                }
                let sql = "SELECT count(*) FROM known_clients WHERE user_id = $1";
                let known = tx.query(sql, args![user], |row| row.int(0)).await?.first().copied().unwrap_or(0);
                if known > MAX_KNOWN_CLIENTS {
                    let sql = "DELETE FROM known_clients WHERE user_id = $1 AND fingerprint NOT IN
                               (SELECT fingerprint FROM known_clients WHERE user_id = $1
                                ORDER BY last_seen DESC LIMIT $2)";
                    tx.execute(sql, args![user, MAX_KNOWN_CLIENTS]).await?;
                }
                Ok(known > 1)
            })
        })
        .await
    }

    /// When each client `user` signed in from was last seen, newest first.
    pub async fn known_clients(&self, user: Uuid) -> StoreResult<Vec<DateTime<Utc>>> {
        let sql = "SELECT last_seen FROM known_clients WHERE user_id = $1 ORDER BY last_seen DESC";
        self.query(sql, args![user], |row| row.time(0)).await
    }
}
