//! Registration in the server's mode, and the mailed codes that verify an address.
//!
//! - `open` (the default): the original design's registration, exactly.
//! - `verified`: the answer is the same 201 whatever the address's state — new, already an
//!   account's, or registered and never verified — and takes the same time: only the password is
//!   hashed before it (always); the lookup, the account, the code and the mail come after. A new
//!   address gets a pending account and a code; a pending one is taken over by the newer
//!   registration (password and code replaced: the squatter had nothing to lose); an account's
//!   owner is told by mail that someone tried, and nothing changes.
//! - `invite`: only with an invitation code ([`super::invitations`]); in every mode an invitation
//!   registers the address verified, with the invitation's role, whatever its domain.

use authdesk_contract::{validate_email, RegistrationMode};
use chrono::TimeDelta;
use serde_json::json;
use uuid::Uuid;

use super::accounts::{requested_address, sign_in_address};
use super::audit::{kind, Context};
use super::codes::{code_hash, new_code, typed_code, MAX_TRIES};
use super::mfa::constant_time_eq;
use super::{Auth, AuthError, Credentials, Grant};
use crate::rate_limit::{self, VERIFICATIONS_BY_EMAIL};
use crate::store::{self, CodeKind, StoreError, UserRecord};

/// What a registration led to.
#[derive(Debug)]
pub enum Registered {
    /// The account exists (open mode, or an invitation).
    Created(UserRecord),
    /// `verified` mode: a code is on its way, or the owner is told; the caller cannot tell which.
    /// `user_id` is the new account's if the address was new, a random one otherwise.
    VerificationSent { user_id: Uuid, email: String },
}

const CODE_SUBJECT: &str = "Your authdesk verification code";
const TAKEN_SUBJECT: &str = "Someone tried to create an authdesk account with your address";

fn code_body(email: &str, code: &str, ttl_minutes: u64) -> String {
    format!(
        "Someone (we hope you) asked to sign up to authdesk as {email}.\n\n\
         Your verification code: {code}\n\n\
         Enter it in authdesk within {ttl_minutes} minutes to finish signing up. Asking again \
         replaces this code.\n\n\
         If it was not you, ignore this message: without the code no account is made.\n"
    )
}

fn taken_body(email: &str) -> String {
    format!(
        "Someone tried to create a new authdesk account with {email}, which already has one. \
         Nothing was changed.\n\n\
         If it was you, sign in with your password, or reset it if you forgot it. If it was not \
         you, you can ignore this message.\n"
    )
}

impl Auth {
    /// Registers as the server's mode (and an invitation, when given) allows. The address is
    /// checked first, its domain next, then the mode, then the password.
    pub async fn register(
        &self,
        credentials: Credentials,
        invitation: Option<&str>,
        ctx: &Context,
    ) -> Result<Registered, AuthError> {
        let email = validate_email(&credentials.email).map_err(AuthError::InvalidEmail)?;
        let invitation = invitation.map(str::trim).filter(|code| !code.is_empty());
        let refused = |reason: &str| {
            ctx.event(kind::REGISTRATION_REFUSED).email(&email).failed().details(json!({ "reason": reason }))
        };
        if invitation.is_none() {
            if !self.registration.domain_allowed(&email) {
                self.store.record_audit(&refused("domain_not_allowed")).await?;
                return Err(AuthError::DomainNotAllowed);
            }
            if self.registration.mode == RegistrationMode::Invite {
                self.store.record_audit(&refused("invitation_required")).await?;
                return Err(AuthError::InvitationRequired);
            }
        }
        self.acceptable_new_password(&credentials.password).await?;
        match invitation {
            Some(code) => {
                let user = new_account(email, self.hasher.hash(credentials.password).await?);
                Ok(Registered::Created(self.register_invited(user, code, ctx).await?))
            }
            None if self.registration.mode == RegistrationMode::Verified => {
                let user = new_account(email, self.hasher.hash(credentials.password).await?);
                let answer = Registered::VerificationSent { user_id: user.id, email: user.email.clone() };
                let (this, ctx) = (self.clone(), ctx.clone());
                tokio::spawn(async move {
                    if let Err(e) = this.file_unverified(user, &ctx).await {
                        tracing::warn!(error = %e, "registration: not filed");
                    }
                });
                Ok(answer)
            }
            None => self.register_open(email, credentials.password, ctx).await.map(Registered::Created),
        }
    }

    /// The original design's registration: 409 for a taken address.
    async fn register_open(&self, email: String, password: String, ctx: &Context) -> Result<UserRecord, AuthError> {
        // Spares a taken address the cost of a hash; the unique index still settles races.
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(AuthError::EmailTaken);
        }
        let user = new_account(email, self.hasher.hash(password).await?);
        let audit = ctx.event(kind::REGISTERED).user(user.id, &user.email);
        match self.store.insert_user(&user, Some(&audit)).await {
            Ok(()) => {}
            Err(StoreError::Conflict) => return Err(AuthError::EmailTaken),
            Err(e) => return Err(e.into()),
        }
        tracing::info!(user_id = %user.id, "user registered");
        Ok(user)
    }

    /// After a `verified` registration was answered: makes or takes over the pending account and
    /// mails its code, or tells the address's owner. Mails to one address are limited (resends
    /// included), so nobody can flood a mailbox by registering it over and over.
    async fn file_unverified(&self, user: UserRecord, ctx: &Context) -> Result<(), AuthError> {
        let existing = self.store.user_by_email(&user.email).await?;
        if let Some(limit) = self.registration.verification_by_email {
            if rate_limit::admit(&self.store, VERIFICATIONS_BY_EMAIL, &user.email, limit).await.is_err() {
                tracing::info!("registration: no mail, the address's limit is reached");
                return Ok(());
            }
        }
        let ttl = TimeDelta::from_std(self.registration.verification_code_ttl).unwrap_or(TimeDelta::MAX);
        let expires_at = user.created_at + ttl;
        match existing {
            None => {
                let pending = UserRecord { verification_pending: true, ..user };
                let (code, code_hash) = new_code(CodeKind::EmailVerification, pending.id);
                let event = ctx.event(kind::REGISTERED).user(pending.id, &pending.email);
                let event = event.details(json!({ "verification_required": true }));
                self.store.register_pending(&pending, &code_hash, expires_at, &event).await?;
                self.mail_code(&pending.email, &code);
            }
            Some(found)
                if found.verification_pending && found.last_login_at.is_none() && found.disabled_at.is_none() =>
            {
                let (code, code_hash) = new_code(CodeKind::EmailVerification, found.id);
                let event = ctx.event(kind::VERIFICATION_SENT).user(found.id, &found.email);
                let event = event.details(json!({ "reason": "registered_again" }));
                let (at, password_hash) = (user.created_at, &user.password_hash);
                if self.store.take_over_pending(found.id, password_hash, &code_hash, at, expires_at, &event).await? {
                    self.mail_code(&found.email, &code);
                }
            }
            Some(found) => {
                let event = ctx.event(kind::REGISTRATION_REFUSED).user(found.id, &found.email).failed();
                self.store.record_audit(&event.details(json!({ "reason": "email_taken" }))).await?;
                if let (Some(mailer), None) = (&self.mailer, found.disabled_at) {
                    mailer.send_later(&found.email, TAKEN_SUBJECT, taken_body(&found.email));
                }
            }
        }
        Ok(())
    }

    fn mail_code(&self, email: &str, code: &str) {
        if let Some(mailer) = &self.mailer {
            let minutes = self.registration.verification_code_ttl.as_secs() / 60;
            mailer.send_later(email, CODE_SUBJECT, code_body(email, code, minutes));
        }
    }

    /// Mails a new code to the account with `email` if it is not verified yet, after the caller
    /// has answered: the answer and its time are the same for every address. Counted per address
    /// (with the registrations that mail one).
    pub async fn resend_verification(&self, email: &str, ctx: &Context) -> Result<(), AuthError> {
        let email = requested_address(email)?;
        if let Some(limit) = self.registration.verification_by_email {
            rate_limit::admit(&self.store, VERIFICATIONS_BY_EMAIL, &email, limit).await?;
        }
        let (this, ctx) = (self.clone(), ctx.clone());
        tokio::spawn(async move {
            let event = ctx.event(kind::VERIFICATION_SENT).email(&email);
            let user = match this.store.user_by_email(&email).await {
                Ok(user) => user.filter(|u| u.email_verified_at.is_none() && u.disabled_at.is_none()),
                Err(e) => return tracing::warn!(error = %e, "verification resend: account lookup failed"),
            };
            let Some(user) = user else {
                let event = event.failed().details(json!({ "reason": "nothing_to_verify" }));
                if let Err(e) = this.store.record_audit(&event).await {
                    tracing::warn!(error = %e, "verification resend: the audit event was not stored");
                }
                return;
            };
            let now = store::now();
            let (code, code_hash) = new_code(CodeKind::EmailVerification, user.id);
            let ttl = TimeDelta::from_std(this.registration.verification_code_ttl).unwrap_or(TimeDelta::MAX);
            let event = event.user(user.id, &user.email);
            let issued = async {
                let kind = CodeKind::EmailVerification;
                let issued = this.store.issue_code(kind, user.id, &code_hash, now, now + ttl).await?;
                this.store.record_audit(&event).await?;
                Ok::<_, StoreError>(issued)
            };
            match issued.await {
                Ok(true) => this.mail_code(&user.email, &code),
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(user_id = %user.id, error = %e, "verification resend: the code was not stored")
                }
            }
        });
        Ok(())
    }

    /// Verifies the address with its mailed code and signs the user in, as a password sign-in
    /// would (the second factor's step first, when the account has one). A wrong, spent or expired
    /// code, and an address with nothing to verify, answer alike and no sooner than the
    /// failed-check floor.
    pub async fn verify_email(&self, email: &str, code: &str, ctx: &Context) -> Result<Grant, AuthError> {
        let started = tokio::time::Instant::now();
        let refused = || async move {
            tokio::time::sleep_until(started + self.failed_check_floor).await;
            Err::<Grant, _>(AuthError::VerificationCodeRejected)
        };
        let Some(email) = sign_in_address(email) else { return refused().await };
        let user = self.store.user_by_email(&email).await?;
        let unverified = user.filter(|u| u.disabled_at.is_none() && u.email_verified_at.is_none());
        let (Some(user), Some(code)) = (unverified, typed_code(code)) else { return refused().await };
        let kind = CodeKind::EmailVerification;
        let stored = self.store.take_code_try(kind, user.id, MAX_TRIES, store::now()).await?;
        let hash = code_hash(kind, user.id, &code);
        let event = ctx.event(kind::EMAIL_VERIFIED).user(user.id, &user.email);
        if !stored.is_some_and(|stored| constant_time_eq(stored.as_bytes(), hash.as_bytes())) {
            self.store.record_audit(&event.failed().details(json!({ "reason": "wrong_code" }))).await?;
            return refused().await;
        }
        let now = store::now();
        if !self.store.verify_email(user.id, &hash, now, &event).await? {
            return Err(AuthError::VerificationCodeRejected);
        }
        let user = UserRecord { email_verified_at: Some(now), verification_pending: false, ..user };
        if self.mfa_enabled(&user).await? {
            return Err(self.challenge_second_factor(&user, ctx, None).await?);
        }
        self.forgive_password_checks(&user).await?;
        let succeeded = ctx.event(kind::LOGIN_SUCCEEDED).details(json!({ "method": "email_code" }));
        let grant = self.start_session(&user, ctx, None, succeeded).await?;
        grant.ok_or(AuthError::VerificationCodeRejected)
    }
}

/// A new account for a validated address and a hashed password.
fn new_account(email: String, password_hash: String) -> UserRecord {
    UserRecord { id: Uuid::new_v4(), email, password_hash, created_at: store::now(), ..Default::default() }
}
