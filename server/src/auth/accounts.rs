//! Accounts: register, log in (with the account lockout and the hash upgrade), change password,
//! delete.

use authdesk_contract::{check_password, normalize_email, validate_email, EmailError, RegistrationMode};
use serde_json::json;
use uuid::Uuid;

use super::audit::{kind, Context};
use super::password::Verification;
use super::{Auth, AuthError, Grant};
use crate::rate_limit::{self, Scope, PASSWORD_CHECKS_BY_ACCOUNT, PASSWORD_RECHECKS_BY_ACCOUNT};
use crate::store::{self, UserRecord};

/// An email and password as a client sent them.
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// The normalised address a sign-in names, or `None` when no account can have it. An address
/// refused as a lookalike may belong to an account made before lookalikes were refused: it can
/// still sign in, only no new one can be made.
pub(super) fn sign_in_address(raw: &str) -> Option<String> {
    match validate_email(raw) {
        Ok(email) => Some(email),
        Err(EmailError::Lookalike) => Some(normalize_email(raw)),
        Err(_) => None,
    }
}

/// The normalised address a request for a mailed code names: as at sign-in, an address refused
/// as a lookalike may be an older account's. An address that cannot be one is refused (which says
/// nothing about any account).
pub(super) fn requested_address(raw: &str) -> Result<String, AuthError> {
    match validate_email(raw) {
        Ok(email) => Ok(email),
        Err(EmailError::Lookalike) => Ok(normalize_email(raw)),
        Err(e) => Err(AuthError::InvalidEmail(e)),
    }
}

/// The password policy alone: local, no outbound call.
pub(super) fn password_policy(password: &str) -> Result<(), AuthError> {
    match check_password(password).first() {
        Some(rule) => Err(AuthError::WeakPassword(*rule)),
        None => Ok(()),
    }
}

/// The key an account's password checks are counted under: its normalised email, so that every
/// spelling of the address (and the address of no account at all) counts the same.
pub(crate) fn lockout_key(email: &str) -> String {
    sign_in_address(email).unwrap_or_else(|| normalize_email(email))
}

impl Auth {
    /// Checks the password and opens a session labelled `client`. Unknown email and wrong
    /// password do the same work and give the same answer; repeated failures for one email
    /// (known or not) pause its password logins.
    pub async fn login(&self, credentials: Credentials, ctx: &Context) -> Result<Grant, AuthError> {
        // No account can have an invalid address, so none is looked up (or counted against).
        let email = sign_in_address(&credentials.email);
        // What the audit log keeps of the address: only one that could be an account's. Anything
        // else (a password typed into the wrong field, a forged line) is kept as a marker.
        let typed = email.clone().unwrap_or_else(|| super::audit::INVALID_ADDRESS.to_owned());
        if let Some(email) = &email {
            if let Err(refused) = self.reserve_password_check(PASSWORD_CHECKS_BY_ACCOUNT, email).await {
                if matches!(refused, AuthError::Limited { .. }) {
                    self.store.record_audit(&ctx.event(kind::LOGIN_LOCKED).email(&typed).failed()).await?;
                }
                return Err(refused);
            }
        }
        let user = match &email {
            Some(email) => self.store.user_by_email(email).await?,
            None => None,
        };
        let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
        let verification = self.hasher.verify(credentials.password.clone(), stored_hash).await?;
        let user = match user {
            Some(user) if verification.matches => user,
            other => {
                let mut failed = ctx.event(kind::LOGIN_FAILED).email(&typed).failed();
                if let Some(user) = other {
                    failed = failed.user(user.id, &user.email);
                }
                self.store.record_audit(&failed.details(json!({ "reason": "bad_credentials" }))).await?;
                return Err(AuthError::BadCredentials);
            }
        };
        // Said only to whoever knows the password: a wrong one got the usual answer above.
        if user.disabled_at.is_some() {
            let failed = ctx.event(kind::LOGIN_FAILED).user(user.id, &user.email).failed();
            self.store.record_audit(&failed.details(json!({ "reason": "disabled" }))).await?;
            return Err(AuthError::AccountDisabled);
        }
        // Likewise: a wrong password never learns that the address waits for verification. No
        // code is mailed here; the client asks for one.
        if self.registration.mode == RegistrationMode::Verified && user.email_verified_at.is_none() {
            let failed = ctx.event(kind::LOGIN_FAILED).user(user.id, &user.email).failed();
            self.store.record_audit(&failed.details(json!({ "reason": "email_not_verified" }))).await?;
            return Err(AuthError::EmailNotVerified);
        }
        // A bcrypt hash from the original design, older argon2 parameters or an unnormalised
        // password: now that the password is known, store it the current way.
        let upgraded = match verification {
            Verification { outdated: true, .. } => Some(self.hasher.hash(credentials.password).await?),
            _ => None,
        };
        if self.mfa_enabled(&user).await? {
            // Failures are forgiven only once the second factor passes too: otherwise whoever has
            // the password could clear the count of wrong codes by signing in again.
            return Err(self.challenge_second_factor(&user, ctx, upgraded).await?);
        }
        self.forgive_password_checks(&user).await?;
        // The session is opened only if the hash just verified is still the stored one: a password
        // change (or an account deletion) that committed meanwhile wins.
        let succeeded = ctx.event(kind::LOGIN_SUCCEEDED).details(json!({ "method": "password" }));
        let grant = self.start_session(&user, ctx, upgraded, succeeded).await?.ok_or(AuthError::BadCredentials)?;
        tracing::info!(user_id = %user.id, "user logged in");
        Ok(grant)
    }

    /// Changes the password and signs out every session but `keep` (and older session-less
    /// tokens). The new password is judged first, so a weak or breached new password answers the
    /// same whether or not the current one was right.
    pub async fn change_password(
        &self,
        user: &UserRecord,
        keep: Option<Uuid>,
        current: String,
        new: String,
        ctx: &Context,
    ) -> Result<(), AuthError> {
        self.acceptable_new_password(&new).await?;
        let event = ctx.event(kind::PASSWORD_CHANGED).user(user.id, &user.email).session(keep);
        if !self.recheck_password(user, current).await? {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_password" }))).await?;
            return Err(AuthError::WrongCurrentPassword);
        }
        let new_hash = self.hasher.hash(new).await?;
        self.store.change_password(user.id, &new_hash, keep, store::now(), &event).await?;
        tracing::info!(user_id = %user.id, "password changed; other sessions revoked");
        Ok(())
    }

    /// Whether `password` may become an account's password: it meets the policy, and (when the
    /// check is configured) no breach lists it. Every flow that sets a password calls this before
    /// anything else costly; the policy goes first, so a password it refuses costs no request.
    pub(super) async fn acceptable_new_password(&self, password: &str) -> Result<(), AuthError> {
        password_policy(password)?;
        self.not_breached(password).await
    }

    /// Asks the breached-password service, when one is configured (an outbound call: whoever
    /// triggers it must have earned it first).
    pub(super) async fn not_breached(&self, password: &str) -> Result<(), AuthError> {
        match &self.breached {
            Some(breached) if breached.is_breached(password).await => Err(AuthError::BreachedPassword),
            _ => Ok(()),
        }
    }

    /// Deletes the account with everything it owns, after checking the password again.
    pub async fn delete_account(&self, user: &UserRecord, password: String, ctx: &Context) -> Result<(), AuthError> {
        let event = ctx.event(kind::ACCOUNT_DELETED).user(user.id, &user.email);
        if !self.recheck_password(user, password).await? {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_password" }))).await?;
            return Err(AuthError::WrongPassword);
        }
        self.store.delete_user(user.id, &lockout_key(&user.email), &event).await?;
        tracing::info!(user_id = %user.id, "account deleted");
        Ok(())
    }

    /// A signed-in user's password, entered again to confirm a sensitive action: counted against
    /// the same lockout as sign-in, so a stolen access token is no unlimited password oracle.
    pub(super) async fn recheck_password(&self, user: &UserRecord, password: String) -> Result<bool, AuthError> {
        self.reserve_password_check(PASSWORD_RECHECKS_BY_ACCOUNT, &lockout_key(&user.email)).await?;
        let matches = self.hasher.verify(password, Some(user.password_hash.clone())).await?.matches;
        // The counter holds wrong codes too: with a second factor on, only a right code forgives
        // (as at sign-in), or one right password would buy endless guesses at the code.
        if matches && !self.mfa_enabled(user).await? {
            self.forgive_password_checks(user).await?;
        }
        Ok(matches)
    }

    /// Takes a place under the account's lockout before its password is verified: counting and
    /// recording are one step, so concurrent guesses cannot all pass a count read before any of
    /// them was recorded.
    async fn reserve_password_check(&self, scope: Scope, key: &str) -> Result<(), AuthError> {
        // A check the full hashing queue would refuse must not cost the account a place.
        self.hasher.ensure_room()?;
        self.reserve_attempt(scope, key).await
    }

    /// Takes a place under the account's lockout (see [`Auth::reserve_password_check`]) for any
    /// secret checked: a password, a second-factor code.
    pub(super) async fn reserve_attempt(&self, scope: Scope, key: &str) -> Result<(), AuthError> {
        match self.account_lockout {
            Some(limit) => Ok(rate_limit::admit(&self.store, scope, key, limit).await?),
            None => Ok(()),
        }
    }

    /// A right password forgives the account's earlier failures.
    pub(super) async fn forgive_password_checks(&self, user: &UserRecord) -> Result<(), AuthError> {
        if self.account_lockout.is_some() {
            rate_limit::clear(&self.store, PASSWORD_CHECKS_BY_ACCOUNT, &lockout_key(&user.email)).await?;
        }
        Ok(())
    }
}
