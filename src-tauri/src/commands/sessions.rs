//! Signing out, and the account's sessions.

use authdesk_contract::desktop::commands::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn logout(app: Shell<'_>, args: Logout) -> Answer<Logout> {
    app.logout(args.discard_waiting).await
}

#[tauri::command]
pub async fn list_sessions(app: Shell<'_>) -> Answer<ListSessions> {
    app.list_sessions().await
}

#[tauri::command]
pub async fn revoke_session(app: Shell<'_>, args: RevokeSession) -> Answer<RevokeSession> {
    app.revoke_session(args.id).await
}

#[tauri::command]
pub async fn sign_out_others(app: Shell<'_>) -> Answer<SignOutOthers> {
    app.sign_out_others().await
}
