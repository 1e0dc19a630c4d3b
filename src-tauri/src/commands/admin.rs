//! Administration (the server decides who may).

use authdesk_contract::desktop::commands::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn admin_list_users(app: Shell<'_>, args: AdminListUsers) -> Answer<AdminListUsers> {
    app.admin_list_users(args.query, args.cursor).await
}

#[tauri::command]
pub async fn admin_set_disabled(app: Shell<'_>, args: AdminSetDisabled) -> Answer<AdminSetDisabled> {
    app.admin_set_disabled(args.id, args.disabled).await
}

#[tauri::command]
pub async fn admin_revoke_sessions(app: Shell<'_>, args: AdminRevokeSessions) -> Answer<AdminRevokeSessions> {
    app.admin_revoke_sessions(args.id).await
}

#[tauri::command]
pub async fn admin_audit(app: Shell<'_>, args: AdminAudit) -> Answer<AdminAudit> {
    app.admin_audit(args).await
}

#[tauri::command]
pub async fn admin_list_invitations(app: Shell<'_>) -> Answer<AdminListInvitations> {
    app.admin_invitations().await
}

#[tauri::command]
pub async fn admin_invite(app: Shell<'_>, args: AdminInvite) -> Answer<AdminInvite> {
    app.admin_invite(args.email, args.role).await
}

#[tauri::command]
pub async fn admin_revoke_invitation(app: Shell<'_>, args: AdminRevokeInvitation) -> Answer<AdminRevokeInvitation> {
    app.admin_revoke_invitation(args.id).await
}
