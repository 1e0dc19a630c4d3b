//! Remote mode's sync: its status, Retry, waiting changes, the leave warning.

use authdesk_contract::desktop::commands::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn watch_sync(app: Shell<'_>, args: WatchSync) -> Answer<WatchSync> {
    Ok(app.watch_sync(args.seen).await)
}

#[tauri::command]
pub async fn sync_now(app: Shell<'_>) -> Answer<SyncNow> {
    app.sync_now().await
}

#[tauri::command]
pub async fn list_waiting_changes(app: Shell<'_>) -> Answer<ListWaitingChanges> {
    app.list_waiting_changes().await
}

#[tauri::command]
pub async fn discard_waiting_changes(app: Shell<'_>, args: DiscardWaitingChanges) -> Answer<DiscardWaitingChanges> {
    app.discard_waiting_changes(args.user_id).await
}

/// Closes the app if the user chose to leave with changes waiting.
#[tauri::command]
pub async fn answer_leave_warning(
    app: Shell<'_>,
    handle: tauri::AppHandle,
    args: AnswerLeaveWarning,
) -> Answer<AnswerLeaveWarning> {
    if app.answer_leave_warning(args.leave) {
        handle.exit(0);
    }
    Ok(())
}
