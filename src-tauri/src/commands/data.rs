//! Your data: backups, restore, export, import, the move to a team server.

use authdesk_contract::desktop::data::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn data_overview(app: Shell<'_>) -> Answer<GetDataOverview> {
    app.data_overview().await
}

#[tauri::command]
pub async fn back_up_now(app: Shell<'_>) -> Answer<BackUpNow> {
    app.back_up_now().await
}

#[tauri::command]
pub async fn choose_restore(app: Shell<'_>, args: ChooseRestore) -> Answer<ChooseRestore> {
    app.choose_restore(args.automatic).await
}

#[tauri::command]
pub async fn confirm_restore(app: Shell<'_>) -> Answer<ConfirmRestore> {
    app.confirm_restore().await
}

#[tauri::command]
pub async fn export_data(app: Shell<'_>, args: ExportData) -> Answer<ExportData> {
    app.export_data(args.format).await
}

#[tauri::command]
pub async fn choose_import(app: Shell<'_>) -> Answer<ChooseImport> {
    app.choose_import().await
}

#[tauri::command]
pub async fn confirm_import(app: Shell<'_>) -> Answer<ConfirmImport> {
    app.confirm_import().await
}

#[tauri::command]
pub async fn start_move(app: Shell<'_>, args: StartMove) -> Answer<StartMove> {
    app.start_move(args.url).await
}

#[tauri::command]
pub async fn move_progress(app: Shell<'_>) -> Answer<GetMoveProgress> {
    app.move_progress().await
}

#[tauri::command]
pub async fn continue_move(app: Shell<'_>) -> Answer<ContinueMove> {
    app.continue_move().await
}

#[tauri::command]
pub async fn finish_move(app: Shell<'_>, args: FinishMove) -> Answer<FinishMove> {
    app.finish_move(args.remove_local).await
}
