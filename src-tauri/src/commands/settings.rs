//! Which server, and what the app knows of itself.

use authdesk_contract::desktop::commands::*;

use super::{Answer, App};

#[tauri::command]
pub async fn get_settings(app: App<'_>) -> Answer<GetSettings> {
    Ok(app.settings().await)
}

#[tauri::command]
pub async fn set_settings(app: App<'_>, args: SetSettings) -> Answer<SetSettings> {
    app.set_settings(args.server).await
}

#[tauri::command]
pub async fn test_connection(app: App<'_>, args: TestConnection) -> Answer<TestConnection> {
    app.test_connection(args.server).await
}

#[tauri::command]
pub async fn app_info(app: App<'_>) -> Answer<GetAppInfo> {
    Ok(app.app_info().await)
}
