//! Wires the [`Desktop`] logic into Tauri: plugins, the window, and one command per method.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;

use authdesk_contract::{HealthResponse, MeResponse, Task, UpdateTaskRequest};
use authdesk_desktop::store::PluginStore;
use authdesk_desktop::{
    AppInfo, BackendSetting, Desktop, DeviceSession, Error, SessionInfo, DATA_DIR_ENV, SESSION_FILE, SETTINGS_FILE,
};
use tauri::{Manager, State};
use uuid::Uuid;

type Cmd<T> = Result<T, Error>;

#[tauri::command]
async fn register(app: State<'_, Desktop>, email: String, password: String) -> Cmd<SessionInfo> {
    app.register(email, password).await
}

#[tauri::command]
async fn login(app: State<'_, Desktop>, email: String, password: String) -> Cmd<SessionInfo> {
    app.login(email, password).await
}

#[tauri::command]
async fn logout(app: State<'_, Desktop>) -> Cmd<bool> {
    app.logout().await
}

#[tauri::command]
async fn restore_session(app: State<'_, Desktop>) -> Cmd<Option<MeResponse>> {
    app.restore_session().await
}

#[tauri::command]
async fn me(app: State<'_, Desktop>) -> Cmd<MeResponse> {
    app.me().await
}

#[tauri::command]
async fn list_tasks(app: State<'_, Desktop>) -> Cmd<Vec<Task>> {
    app.list_tasks().await
}

#[tauri::command]
async fn create_task(app: State<'_, Desktop>, title: String) -> Cmd<Task> {
    app.create_task(title).await
}

#[tauri::command]
async fn update_task(app: State<'_, Desktop>, id: Uuid, title: Option<String>, completed: Option<bool>) -> Cmd<Task> {
    app.update_task(id, UpdateTaskRequest { title, completed }).await
}

#[tauri::command]
async fn delete_task(app: State<'_, Desktop>, id: Uuid) -> Cmd<()> {
    app.delete_task(id).await
}

#[tauri::command]
async fn change_password(app: State<'_, Desktop>, current: String, new: String) -> Cmd<String> {
    app.change_password(current, new).await
}

#[tauri::command]
async fn list_sessions(app: State<'_, Desktop>) -> Cmd<Vec<DeviceSession>> {
    app.list_sessions().await
}

#[tauri::command]
async fn revoke_session(app: State<'_, Desktop>, id: Uuid) -> Cmd<()> {
    app.revoke_session(id).await
}

#[tauri::command]
async fn sign_out_others(app: State<'_, Desktop>) -> Cmd<usize> {
    app.sign_out_others().await
}

#[tauri::command]
async fn delete_account(app: State<'_, Desktop>, password: String) -> Cmd<()> {
    app.delete_account(password).await
}

#[tauri::command]
async fn get_settings(app: State<'_, Desktop>) -> Cmd<BackendSetting> {
    Ok(app.settings().await)
}

#[tauri::command]
async fn set_settings(app: State<'_, Desktop>, backend: BackendSetting) -> Cmd<BackendSetting> {
    app.set_settings(backend).await
}

#[tauri::command]
async fn test_connection(app: State<'_, Desktop>, backend: Option<BackendSetting>) -> Cmd<HealthResponse> {
    app.test_connection(backend).await
}

#[tauri::command]
async fn app_info(app: State<'_, Desktop>) -> Cmd<AppInfo> {
    Ok(app.app_info().await)
}

fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Ok(app.path().app_data_dir()?),
    }
}

fn main() {
    tauri::Builder::default()
        // First, so a second launch only focuses the running window.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            let dir = data_dir(app)?;
            std::fs::create_dir_all(&dir)?;
            let settings = PluginStore::open(app.handle(), dir.join(SETTINGS_FILE))?;
            let sessions = PluginStore::open(app.handle(), dir.join(SESSION_FILE))?;
            let desktop = tauri::async_runtime::block_on(Desktop::open(dir, Box::new(settings), Box::new(sessions)))?
                .with_keychain();
            app.manage(desktop);
            if let (Some(theme), Some(window)) = (authdesk_desktop::forced_theme(), app.get_webview_window("main")) {
                let theme = if theme == "dark" { tauri::Theme::Dark } else { tauri::Theme::Light };
                let _ = window.set_theme(Some(theme));
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            register,
            login,
            logout,
            restore_session,
            me,
            list_tasks,
            create_task,
            update_task,
            delete_task,
            get_settings,
            set_settings,
            test_connection,
            app_info,
            change_password,
            list_sessions,
            revoke_session,
            sign_out_others,
            delete_account,
        ])
        .run(tauri::generate_context!())
        .expect("error while running authdesk");
}
