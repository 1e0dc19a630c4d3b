//! Invitations, from an administrator (HTTP) or the operator (the CLI): made for one address and a
//! role, the code shown once (and mailed when mail is configured), listed while pending, revoked.

use std::time::Duration;

use authdesk_contract::validate_email;
use chrono::TimeDelta;
use uuid::Uuid;

use super::{Actor, Admin};
use crate::auth::audit::kind;
use crate::auth::{invitations, AuthError};
use crate::store::{self, InvitationRecord, Role};

const SUBJECT: &str = "You are invited to authdesk";

fn body(email: &str, code: &str, server: Option<&str>, days: u64) -> String {
    let server = server.map_or_else(String::new, |url| format!(" at {url}"));
    format!(
        "You are invited to join the authdesk server{server} as {email}.\n\n\
         Your invitation code: {code}\n\n\
         In authdesk, choose that server, then Create account, and enter this address, a password \
         and the code. It works once, for this address only, within {days} days.\n\n\
         If you did not expect this, ignore this message.\n"
    )
}

impl Admin {
    /// Invites `email` as `role`, valid for `ttl`: (the invitation, its code). An address that
    /// already has an account is refused. The code is mailed when mail is configured (naming the
    /// server by `server`, the address its users reach it at).
    pub async fn invite(
        &self,
        email: &str,
        role: Role,
        ttl: Duration,
        server: Option<&str>,
        by: &Actor,
    ) -> Result<(InvitationRecord, String), AuthError> {
        let email = validate_email(email).map_err(AuthError::InvalidEmail)?;
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(AuthError::EmailTaken);
        }
        let now = store::now();
        let invitation = InvitationRecord {
            id: Uuid::new_v4(),
            email,
            role,
            created_at: now,
            expires_at: now + TimeDelta::from_std(ttl).unwrap_or(TimeDelta::MAX),
            created_by: by.id,
        };
        let (code, code_hash) = invitations::new_code();
        let event = by.action(kind::ADMIN_INVITATION_CREATED).email(&invitation.email);
        let event = event.details(serde_json::json!({ "invitation_id": invitation.id, "role": role.as_str() }));
        self.store.insert_invitation(&invitation, &code_hash, &event).await?;
        if let Some(mailer) = &self.mailer {
            let days = ttl.as_secs().div_ceil(86_400);
            mailer.send_later(&invitation.email, SUBJECT, body(&invitation.email, &code, server, days));
        }
        Ok((invitation, code))
    }

    /// The invitations still pending, newest first.
    pub async fn invitations(&self) -> Result<Vec<InvitationRecord>, AuthError> {
        Ok(self.store.pending_invitations(store::now()).await?)
    }

    pub async fn revoke_invitation(&self, id: Uuid, by: &Actor) -> Result<(), AuthError> {
        let event = by.action(kind::ADMIN_INVITATION_REVOKED).details(serde_json::json!({ "invitation_id": id }));
        if self.store.delete_invitation(id, &event).await? {
            Ok(())
        } else {
            Err(AuthError::InvitationNotFound)
        }
    }
}
