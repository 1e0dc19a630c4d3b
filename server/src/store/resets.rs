//! Password reset codes: at most one live code per user, stored hashed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::record;
use super::sql::args;
use super::users::set_password;
use super::{AuditEvent, Store, StoreResult};

impl Store {
    /// Records a code requested at `at`, replacing (and so spending) an earlier one; `false`,
    /// changing nothing, when the code in place was requested later.
    pub async fn issue_reset_code(
        &self,
        user: Uuid,
        code_hash: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let sql = "INSERT INTO password_resets (user_id, code_hash, created_at, expires_at, failures)
                   VALUES ($1, $2, $3, $4, 0)
                   ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash,
                       created_at = excluded.created_at, expires_at = excluded.expires_at, failures = 0
                   WHERE password_resets.created_at <= excluded.created_at";
        Ok(self.execute(sql, args![user, code_hash, at, expires_at]).await? > 0)
    }

    /// Takes one of the live code's tries and returns its hash to compare with; `None` when the
    /// user has no live code (none issued, used, expired, or out of tries). Taking the try and
    /// reading the hash are one statement, so concurrent guesses get `max_tries` in all.
    pub async fn take_reset_try(&self, user: Uuid, max_tries: i64, now: DateTime<Utc>) -> StoreResult<Option<String>> {
        let sql = "UPDATE password_resets SET failures = failures + 1
                   WHERE user_id = $1 AND expires_at > $2 AND failures < $3
                   RETURNING code_hash";
        Ok(self.execute_returning(sql, args![user, now, max_tries], |row| row.text(0)).await?.into_iter().next())
    }

    /// In one transaction: spends the code (only if it is still `code_hash`: a newer request or a
    /// concurrent use wins), sets the new hash and ends every session of the user. `false` when
    /// the code was no longer there.
    pub async fn reset_password(
        &self,
        user: Uuid,
        code_hash: &str,
        new_hash: &str,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (code_hash, new_hash, audit) = (code_hash.to_owned(), new_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                let sql = "DELETE FROM password_resets WHERE user_id = $1 AND code_hash = $2";
                if tx.execute(sql, args![user, code_hash]).await? == 0 {
                    return Ok(false);
                }
                set_password(tx, user, &new_hash, None, at).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }
}
