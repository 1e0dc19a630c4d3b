//! Which server, and what the app knows of itself.

use authdesk_contract::desktop::commands::*;

use super::{Answer, Shell};

#[tauri::command]
pub async fn get_settings(app: Shell<'_>) -> Answer<GetSettings> {
    Ok(app.settings().await)
}

#[tauri::command]
pub async fn set_settings(app: Shell<'_>, args: SetSettings) -> Answer<SetSettings> {
    app.set_settings(args.server).await
}

#[tauri::command]
pub async fn test_connection(app: Shell<'_>, args: TestConnection) -> Answer<TestConnection> {
    app.test_connection(args.server).await
}

#[tauri::command]
pub async fn app_info(app: Shell<'_>) -> Answer<GetAppInfo> {
    Ok(app.app_info().await)
}

#[tauri::command]
pub async fn set_language(app: Shell<'_>, args: SetLanguage) -> Answer<SetLanguage> {
    app.set_language(args.language.as_deref()).map(|l| l.tag().to_owned())
}
