//! Administration through the shell, for a signed-in administrator: the same `authed` path as
//! every protected call, so a refused session is handled alike; the server decides who may.

use authdesk_contract::desktop::commands::AdminAudit;
use authdesk_contract::{
    AdminUser, AdminUserPage, AuditPage, Invitation, InvitationList, InvitationRequest, SessionsEnded,
};
use uuid::Uuid;

use super::Desktop;
use crate::Result;

impl Desktop {
    pub async fn admin_list_users(&self, query: Option<String>, cursor: Option<String>) -> Result<AdminUserPage> {
        self.authed(|client, token| {
            let (query, cursor) = (query.clone(), cursor.clone());
            async move { client.admin_users(&token, query.as_deref(), cursor.as_deref()).await }
        })
        .await
    }

    pub async fn admin_set_disabled(&self, id: Uuid, disabled: bool) -> Result<AdminUser> {
        self.authed(|client, token| async move { client.admin_set_disabled(&token, id, disabled).await }).await
    }

    pub async fn admin_revoke_sessions(&self, id: Uuid) -> Result<SessionsEnded> {
        self.authed(|client, token| async move { client.admin_revoke_sessions(&token, id).await }).await
    }

    pub async fn admin_invitations(&self) -> Result<InvitationList> {
        self.authed(|client, token| async move { client.admin_invitations(&token).await }).await
    }

    /// Invites `email` as `role`; the answer carries the code, shown this once.
    pub async fn admin_invite(&self, email: String, role: String) -> Result<Invitation> {
        let req = InvitationRequest { email, role: Some(role) };
        self.authed(|client, token| {
            let req = req.clone();
            async move { client.admin_invite(&token, &req).await }
        })
        .await
    }

    pub async fn admin_revoke_invitation(&self, id: Uuid) -> Result<()> {
        self.authed(|client, token| async move { client.admin_revoke_invitation(&token, id).await }).await
    }

    pub async fn admin_audit(&self, filter: AdminAudit) -> Result<AuditPage> {
        self.authed(|client, token| {
            let filter = filter.clone();
            async move { client.admin_audit(&token, &filter).await }
        })
        .await
    }
}
