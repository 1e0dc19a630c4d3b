//! Accounts: register, log in (with the account lockout and the hash upgrade), change password,
//! delete.

use authdesk_contract::{check_password, validate_email};
use uuid::Uuid;

use super::{Auth, AuthError, Grant};
use crate::rate_limit::{self, FAILED_LOGIN_BY_ACCOUNT};
use crate::store::{self, StoreError, UserRecord};

/// An email and password as a client sent them.
pub struct Credentials {
    pub email: String,
    pub password: String,
}

fn password_policy(password: &str) -> Result<(), AuthError> {
    match check_password(password).first() {
        Some(rule) => Err(AuthError::WeakPassword(*rule)),
        None => Ok(()),
    }
}

impl Auth {
    /// Creates an account; the email is normalised, the password must meet the policy.
    pub async fn register(&self, credentials: Credentials) -> Result<UserRecord, AuthError> {
        let email = validate_email(&credentials.email).map_err(AuthError::InvalidEmail)?;
        password_policy(&credentials.password)?;
        // Spares a taken address the cost of a hash; the unique index still settles races.
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(AuthError::EmailTaken);
        }
        let user = UserRecord {
            id: Uuid::new_v4(),
            email,
            password_hash: self.hasher.hash(credentials.password).await,
            created_at: store::now(),
            last_login_at: None,
            tokens_not_before: None,
        };
        match self.store.insert_user(&user).await {
            Ok(()) => {}
            Err(StoreError::Conflict) => return Err(AuthError::EmailTaken),
            Err(e) => return Err(e.into()),
        }
        tracing::info!(user_id = %user.id, "user registered");
        Ok(user)
    }

    /// Checks the password and opens a session labelled `client`. Unknown email and wrong
    /// password do the same work and give the same answer; repeated failures for one email
    /// (known or not) pause its password logins.
    pub async fn login(&self, credentials: Credentials, client: &str) -> Result<Grant, AuthError> {
        // No account can have an invalid address, so none is looked up (or counted against).
        let email = validate_email(&credentials.email).ok();
        let lockout = self.account_lockout.zip(email.as_deref());
        let mut recent_failures = 0;
        if let Some((limit, email)) = lockout {
            recent_failures = rate_limit::ensure_not_locked(&self.store, FAILED_LOGIN_BY_ACCOUNT, email, limit).await?;
        }
        let user = match &email {
            Some(email) => self.store.user_by_email(email).await?,
            None => None,
        };
        let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
        let verification = self.hasher.verify(credentials.password.clone(), stored_hash).await;
        let user = match user {
            Some(user) if verification.matches => user,
            _ => {
                if let Some((_, email)) = lockout {
                    self.store.add_attempt(FAILED_LOGIN_BY_ACCOUNT, email, store::now()).await?;
                }
                return Err(AuthError::BadCredentials);
            }
        };
        // A success forgives earlier failures; with none to forgive, skip the write.
        if let Some((_, email)) = lockout.filter(|_| recent_failures > 0) {
            self.store.clear_attempts(FAILED_LOGIN_BY_ACCOUNT, email).await?;
        }
        if verification.outdated {
            // A bcrypt hash from the original design, or older argon2 parameters: now that the
            // password is known, store it the current way.
            let upgraded = self.hasher.hash(credentials.password).await;
            if self.store.upgrade_password_hash(user.id, &user.password_hash, &upgraded).await? {
                tracing::info!(user_id = %user.id, "password hash upgraded to argon2id");
            }
        }
        let grant = self.start_session(&user, client).await?;
        tracing::info!(user_id = %user.id, "user logged in");
        Ok(grant)
    }

    /// Changes the password and signs out every session but `keep` (and older session-less
    /// tokens).
    pub async fn change_password(
        &self,
        user: &UserRecord,
        keep: Option<Uuid>,
        current: String,
        new: String,
    ) -> Result<(), AuthError> {
        if !self.hasher.verify(current, Some(user.password_hash.clone())).await.matches {
            return Err(AuthError::WrongCurrentPassword);
        }
        password_policy(&new)?;
        let new_hash = self.hasher.hash(new).await;
        self.store.change_password(user.id, &new_hash, keep, store::now()).await?;
        tracing::info!(user_id = %user.id, "password changed; other sessions revoked");
        Ok(())
    }

    /// Deletes the account with everything it owns, after checking the password again.
    pub async fn delete_account(&self, user: &UserRecord, password: String) -> Result<(), AuthError> {
        if !self.hasher.verify(password, Some(user.password_hash.clone())).await.matches {
            return Err(AuthError::WrongPassword);
        }
        self.store.delete_user(user.id, &user.email).await?;
        tracing::info!(user_id = %user.id, "account deleted");
        Ok(())
    }
}
