//! The administration API's calls (administrators only; the server answers 403 to others).

use authdesk_contract::desktop::commands::AdminAudit;
use authdesk_contract::{
    AdminUser, AdminUserPage, AuditPage, Invitation, InvitationList, InvitationRequest, SessionsEnded,
};
use axum::http::Method;
use uuid::Uuid;

use super::transport::{no_content, read};
use super::Client;
use crate::Result;

/// A page size the screens show without scrolling far.
const PAGE: &str = "50";

/// `key=value&…` for the parameters that are set.
fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            form.append_pair(key, value);
        }
    }
    form.finish()
}

impl Client {
    pub async fn admin_users(&self, token: &str, search: Option<&str>, cursor: Option<&str>) -> Result<AdminUserPage> {
        let qs = query(&[("query", search), ("cursor", cursor), ("limit", Some(PAGE))]);
        read(self.send(Method::GET, &format!("/api/admin/users?{qs}"), Some(token), None::<&()>).await?)
    }

    pub async fn admin_set_disabled(&self, token: &str, id: Uuid, disabled: bool) -> Result<AdminUser> {
        let action = if disabled { "disable" } else { "enable" };
        read(self.send(Method::POST, &format!("/api/admin/users/{id}/{action}"), Some(token), None::<&()>).await?)
    }

    pub async fn admin_revoke_sessions(&self, token: &str, id: Uuid) -> Result<SessionsEnded> {
        read(self.send(Method::DELETE, &format!("/api/admin/users/{id}/sessions"), Some(token), None::<&()>).await?)
    }

    pub async fn admin_invitations(&self, token: &str) -> Result<InvitationList> {
        read(self.send(Method::GET, "/api/admin/invitations", Some(token), None::<&()>).await?)
    }

    pub async fn admin_invite(&self, token: &str, req: &InvitationRequest) -> Result<Invitation> {
        read(self.send(Method::POST, "/api/admin/invitations", Some(token), Some(req)).await?)
    }

    pub async fn admin_revoke_invitation(&self, token: &str, id: Uuid) -> Result<()> {
        no_content(self.send(Method::DELETE, &format!("/api/admin/invitations/{id}"), Some(token), None::<&()>).await?)
    }

    pub async fn admin_audit(&self, token: &str, filter: &AdminAudit) -> Result<AuditPage> {
        let user = filter.user_id.map(|id| id.to_string());
        let qs = query(&[
            ("user_id", user.as_deref()),
            ("type", filter.kind.as_deref()),
            ("since", filter.since.as_deref()),
            ("cursor", filter.cursor.as_deref()),
            ("limit", Some(PAGE)),
        ]);
        read(self.send(Method::GET, &format!("/api/admin/audit?{qs}"), Some(token), None::<&()>).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_parameters_go_in_the_query_encoded() {
        assert_eq!(
            query(&[("query", Some("ann & co")), ("cursor", None), ("limit", Some("50"))]),
            "query=ann+%26+co&limit=50"
        );
        assert_eq!(query(&[("type", Some("  "))]), "");
    }
}
