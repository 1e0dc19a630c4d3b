//! Mailed codes: at most one live code per user and kind, stored hashed. A password reset code
//! (`password_resets`) and an address verification code (`email_verifications`) follow one rule in
//! two tables (the first is older, and older instances on the same database still use it), so the
//! statements are written once for both.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::audit::record;
use super::sql::{args, Conn};
use super::users::{mark_verified, set_password};
use super::{AuditEvent, Store, StoreResult};

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    PasswordReset,
    EmailVerification,
}

struct Statements {
    issue: &'static str,
    take_try: &'static str,
    spend: &'static str,
}

macro_rules! statements {
    ($table:literal) => {
        Statements {
            issue: concat!(
                "INSERT INTO ",
                $table,
                " (user_id, code_hash, created_at, expires_at, failures) VALUES ($1, $2, $3, $4, 0)
                 ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash,
                     created_at = excluded.created_at, expires_at = excluded.expires_at, failures = 0
                 WHERE ",
                $table,
                ".created_at <= excluded.created_at"
            ),
            take_try: concat!(
                "UPDATE ",
                $table,
                " SET failures = failures + 1 WHERE user_id = $1 AND expires_at > $2 AND failures < $3
                 RETURNING code_hash"
            ),
            spend: concat!("DELETE FROM ", $table, " WHERE user_id = $1 AND code_hash = $2"),
        }
    };
}

const PASSWORD_RESET: Statements = statements!("password_resets");
const EMAIL_VERIFICATION: Statements = statements!("email_verifications");

impl CodeKind {
    fn sql(self) -> &'static Statements {
        match self {
            CodeKind::PasswordReset => &PASSWORD_RESET,
            CodeKind::EmailVerification => &EMAIL_VERIFICATION,
        }
    }
}

/// Issues a code inside the caller's transaction (see [`Store::issue_code`]).
pub(super) async fn issue(
    tx: &mut Conn<'_>,
    kind: CodeKind,
    user: Uuid,
    code_hash: &str,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(tx.execute(kind.sql().issue, args![user, code_hash, at, expires_at]).await? > 0)
}

/// Spends `user`'s code of `kind` if it is still `code_hash` (a newer code or a concurrent use
/// wins); `false` when it was not there.
async fn spend(tx: &mut Conn<'_>, kind: CodeKind, user: Uuid, code_hash: &str) -> StoreResult<bool> {
    Ok(tx.execute(kind.sql().spend, args![user, code_hash]).await? > 0)
}

impl Store {
    /// Records a code requested at `at`, replacing (and so spending) an earlier one of its kind;
    /// `false`, changing nothing, when the code in place was requested later.
    pub async fn issue_code(
        &self,
        kind: CodeKind,
        user: Uuid,
        code_hash: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let code_hash = code_hash.to_owned();
        self.transaction(move |tx| Box::pin(async move { issue(tx, kind, user, &code_hash, at, expires_at).await }))
            .await
    }

    /// Takes one of the live code's tries and returns its hash to compare with; `None` when the
    /// user has no live code of `kind` (none issued, used, expired, or out of tries). Taking the
    /// try and reading the hash are one statement, so concurrent guesses get `max_tries` in all.
    pub async fn take_code_try(
        &self,
        kind: CodeKind,
        user: Uuid,
        max_tries: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<String>> {
        let rows = self.execute_returning(kind.sql().take_try, args![user, now, max_tries], |row| row.text(0)).await?;
        Ok(rows.into_iter().next())
    }

    /// In one transaction: spends the reset code (only if it is still `code_hash`), sets the new
    /// hash, ends every session of the user and counts the address as verified (the code came by
    /// mail, or from an administrator who vouches for the person). `false` when the code was no
    /// longer there.
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
                if !spend(tx, CodeKind::PasswordReset, user, &code_hash).await? {
                    return Ok(false);
                }
                set_password(tx, user, &new_hash, None, at).await?;
                mark_verified(tx, user, at).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }

    /// In one transaction: spends the verification code (only if it is still `code_hash`) and
    /// marks the address verified. `false` when the code was no longer there.
    pub async fn verify_email(
        &self,
        user: Uuid,
        code_hash: &str,
        at: DateTime<Utc>,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (code_hash, audit) = (code_hash.to_owned(), audit.clone());
        self.transaction(move |tx| {
            Box::pin(async move {
                if !spend(tx, CodeKind::EmailVerification, user, &code_hash).await? {
                    return Ok(false);
                }
                mark_verified(tx, user, at).await?;
                record(tx, &audit).await?;
                Ok(true)
            })
        })
        .await
    }
}
