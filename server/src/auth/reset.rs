//! Password reset: a short code, mailed (or issued by an administrator), trades for a new
//! password.
//!
//! A request is answered the same, at once, whether or not an account has the address: the lookup,
//! the code and the mail all happen after the answer. A code is 8 digits, lives minutes, is stored
//! as a salted hash, and is spent by its use, by a newer code, or by a few wrong tries; using it
//! ends every session and forgives the account's failed sign-ins. A second factor stays on.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use super::accounts::{password_policy, requested_address, sign_in_address};
use super::audit::{kind, Context};
use super::codes::{code_hash, new_code, typed_code, MAX_TRIES};
use super::mfa::constant_time_eq;
use super::{Auth, AuthError};
use crate::rate_limit::{PASSWORD_RESETS_BY_EMAIL, PASSWORD_RESET_CONFIRMS_BY_EMAIL};
use crate::store::{self, CodeKind, Store, StoreResult};

const MAIL_SUBJECT: &str = "Your authdesk password reset code";

/// Issues a code for `user` as of `requested_at`, replacing any earlier one; `None` when a code
/// requested later is already in place (requests are handled in the background, so they can finish
/// out of order). Shared by the reset request and `authdesk-server admin reset-code`.
pub async fn issue_code(
    store: &Store,
    user: Uuid,
    requested_at: DateTime<Utc>,
    ttl: std::time::Duration,
) -> StoreResult<Option<String>> {
    let (code, hash) = new_code(CodeKind::PasswordReset, user);
    let expires_at = requested_at + TimeDelta::from_std(ttl).unwrap_or(TimeDelta::MAX);
    Ok(store.issue_code(CodeKind::PasswordReset, user, &hash, requested_at, expires_at).await?.then_some(code))
}

fn mail_body(email: &str, code: &str, ttl_minutes: u64) -> String {
    format!(
        "Someone asked to reset the password of the authdesk account {email}.\n\n\
         Your reset code: {code}\n\n\
         Enter it in authdesk with your new password within {ttl_minutes} minutes. Asking again \
         replaces this code.\n\n\
         If it was not you, ignore this message: your password stays as it is.\n"
    )
}

impl Auth {
    /// Counts a reset request against the address's limit and, when mail is configured, mails a
    /// code to the account with that address, if there is one, after the caller has answered.
    pub async fn request_password_reset(&self, email: &str, ctx: &Context) -> Result<(), AuthError> {
        let email = requested_address(email)?;
        if let Some(limit) = self.password_reset_by_email {
            crate::rate_limit::admit(&self.store, PASSWORD_RESETS_BY_EMAIL, &email, limit).await?;
        }
        let mailer = self.mailer.clone();
        let (store, ttl, requested_at) = (self.store.clone(), self.password_reset_code_ttl, store::now());
        let event = ctx.event(kind::PASSWORD_RESET_REQUESTED).email(&email);
        tokio::spawn(async move {
            let user = match store.user_by_email(&email).await {
                Ok(user) => user,
                Err(e) => return tracing::warn!(error = %e, "password reset: account lookup failed"),
            };
            let event = match &user {
                Some(user) => event.user(user.id, &user.email),
                None => event.failed().details(serde_json::json!({ "reason": "unknown_account" })),
            };
            let event = if mailer.is_none() {
                event.failed().details(serde_json::json!({ "reason": "no_mail" }))
            } else {
                event
            };
            if let Err(e) = store.record_audit(&event).await {
                tracing::warn!(error = %e, "password reset: the audit event was not stored");
            }
            let (Some(user), Some(mailer)) = (user, mailer) else {
                tracing::info!("password reset requested: no account with that address, or no mail configured");
                return;
            };
            if user.disabled_at.is_some() {
                return;
            }
            match issue_code(&store, user.id, requested_at, ttl).await {
                Ok(Some(code)) => {
                    mailer.send_later(&user.email, MAIL_SUBJECT, mail_body(&user.email, &code, ttl.as_secs() / 60));
                    tracing::info!(user_id = %user.id, "password reset code issued");
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(user_id = %user.id, error = %e, "password reset: the code was not stored"),
            }
        });
        Ok(())
    }

    /// Sets a new password with a reset code. The password policy is judged first and the code
    /// next, each refusal leaving the code unspent; only a right code earns the outbound
    /// breached-password check. An unknown address and a wrong code answer alike, and no sooner
    /// than the failed-check floor. Confirmations are counted per address (limit, by the caller)
    /// and per email, known or not.
    pub async fn confirm_password_reset(
        &self,
        email: &str,
        code: &str,
        new: String,
        ctx: &Context,
    ) -> Result<(), AuthError> {
        password_policy(&new)?;
        let started = tokio::time::Instant::now();
        let refused = || async move {
            tokio::time::sleep_until(started + self.failed_check_floor).await;
            Err::<(), _>(AuthError::ResetCodeRejected)
        };
        let Some(email) = sign_in_address(email) else {
            return refused().await;
        };
        if let Some(limit) = self.password_reset_confirm_by_email {
            crate::rate_limit::admit(&self.store, PASSWORD_RESET_CONFIRMS_BY_EMAIL, &email, limit).await?;
        }
        let user = self.store.user_by_email(&email).await?;
        let (Some(user), Some(code)) = (user.filter(|u| u.disabled_at.is_none()), typed_code(code)) else {
            return refused().await;
        };
        let event = ctx.event(kind::PASSWORD_RESET).user(user.id, &user.email);
        let stored = self.store.take_code_try(CodeKind::PasswordReset, user.id, MAX_TRIES, store::now()).await?;
        let hash = code_hash(CodeKind::PasswordReset, user.id, &code);
        if !stored.is_some_and(|stored| constant_time_eq(stored.as_bytes(), hash.as_bytes())) {
            self.store.record_audit(&event.failed().details(serde_json::json!({ "reason": "wrong_code" }))).await?;
            return refused().await;
        }
        self.not_breached(&new).await?;
        let new_hash = self.hasher.hash(new).await?;
        if !self.store.reset_password(user.id, &hash, &new_hash, store::now(), &event).await? {
            // A newer code replaced it, or a concurrent confirm used it first.
            return Err(AuthError::ResetCodeRejected);
        }
        self.forgive_password_checks(&user).await?;
        tracing::info!(user_id = %user.id, "password reset; every session ended");
        Ok(())
    }
}
