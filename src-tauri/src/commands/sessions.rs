//! Signing out, and the account's sessions.

use authdesk_contract::desktop::commands::*;

use super::{Answer, App};

#[tauri::command]
pub async fn logout(app: App<'_>, args: Logout) -> Answer<Logout> {
    app.logout(args.discard_waiting).await
}

#[tauri::command]
pub async fn list_sessions(app: App<'_>) -> Answer<ListSessions> {
    app.list_sessions().await
}

#[tauri::command]
pub async fn revoke_session(app: App<'_>, args: RevokeSession) -> Answer<RevokeSession> {
    app.revoke_session(args.id).await
}

#[tauri::command]
pub async fn sign_out_others(app: App<'_>) -> Answer<SignOutOthers> {
    app.sign_out_others().await
}
