//! Wires the [`Desktop`] logic into Tauri: plugins, the window, and one command per method. Each
//! command takes and answers the types of `authdesk_contract::desktop::commands`, which the UI uses
//! to call it.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;

use authdesk_contract::desktop::commands::*;
use authdesk_contract::desktop::{Command, CommandError};
use authdesk_desktop::files::PluginFile;
use authdesk_desktop::{Desktop, DATA_DIR_ENV, SESSION_FILE, SETTINGS_FILE};
use tauri::{Manager, State};

/// What the command `C` answers: its output, or the error the UI reads.
type Answer<C> = Result<<C as Command>::Output, CommandError>;

#[tauri::command]
async fn register(app: State<'_, Desktop>, args: Register) -> Answer<Register> {
    app.register(args.email, args.password).await
}

#[tauri::command]
async fn login(app: State<'_, Desktop>, args: Login) -> Answer<Login> {
    app.login(args.email, args.password).await
}

#[tauri::command]
async fn verify_second_factor(app: State<'_, Desktop>, args: VerifySecondFactor) -> Answer<VerifySecondFactor> {
    app.verify_second_factor(args.code, args.recovery).await
}

#[tauri::command]
async fn request_password_reset(app: State<'_, Desktop>, args: RequestPasswordReset) -> Answer<RequestPasswordReset> {
    app.request_password_reset(args.email).await
}

#[tauri::command]
async fn confirm_password_reset(app: State<'_, Desktop>, args: ConfirmPasswordReset) -> Answer<ConfirmPasswordReset> {
    app.confirm_password_reset(args.email, args.code, args.new_password).await
}

#[tauri::command]
async fn set_up_totp(app: State<'_, Desktop>, args: SetUpTotp) -> Answer<SetUpTotp> {
    app.set_up_totp(args.password).await
}

#[tauri::command]
async fn enable_totp(app: State<'_, Desktop>, args: EnableTotp) -> Answer<EnableTotp> {
    app.enable_totp(args.code).await
}

#[tauri::command]
async fn regenerate_recovery_codes(
    app: State<'_, Desktop>,
    args: RegenerateRecoveryCodes,
) -> Answer<RegenerateRecoveryCodes> {
    app.regenerate_recovery_codes(args.password).await
}

#[tauri::command]
async fn disable_totp(app: State<'_, Desktop>, args: DisableTotp) -> Answer<DisableTotp> {
    app.disable_totp(args.password, args.code).await
}

#[tauri::command]
async fn save_recovery_codes(app: State<'_, Desktop>, args: SaveRecoveryCodes) -> Answer<SaveRecoveryCodes> {
    app.save_recovery_codes(args.codes)
}

#[tauri::command]
async fn admin_list_users(app: State<'_, Desktop>, args: AdminListUsers) -> Answer<AdminListUsers> {
    app.admin_list_users(args.query, args.cursor).await
}

#[tauri::command]
async fn admin_set_disabled(app: State<'_, Desktop>, args: AdminSetDisabled) -> Answer<AdminSetDisabled> {
    app.admin_set_disabled(args.id, args.disabled).await
}

#[tauri::command]
async fn admin_revoke_sessions(app: State<'_, Desktop>, args: AdminRevokeSessions) -> Answer<AdminRevokeSessions> {
    app.admin_revoke_sessions(args.id).await
}

#[tauri::command]
async fn admin_audit(app: State<'_, Desktop>, args: AdminAudit) -> Answer<AdminAudit> {
    app.admin_audit(args).await
}

#[tauri::command]
async fn logout(app: State<'_, Desktop>) -> Answer<Logout> {
    app.logout().await
}

#[tauri::command]
async fn restore_session(app: State<'_, Desktop>) -> Answer<RestoreSession> {
    app.restore_session().await
}

#[tauri::command]
async fn me(app: State<'_, Desktop>) -> Answer<Me> {
    app.me().await
}

#[tauri::command]
async fn list_tasks(app: State<'_, Desktop>) -> Answer<ListTasks> {
    app.list_tasks().await
}

#[tauri::command]
async fn create_task(app: State<'_, Desktop>, args: CreateTask) -> Answer<CreateTask> {
    app.create_task(args.title).await
}

#[tauri::command]
async fn update_task(app: State<'_, Desktop>, args: UpdateTask) -> Answer<UpdateTask> {
    app.update_task(args.id, args.changes).await
}

#[tauri::command]
async fn delete_task(app: State<'_, Desktop>, args: DeleteTask) -> Answer<DeleteTask> {
    app.delete_task(args.id).await
}

#[tauri::command]
async fn change_password(app: State<'_, Desktop>, args: ChangePassword) -> Answer<ChangePassword> {
    app.change_password(args.current, args.new).await
}

#[tauri::command]
async fn list_sessions(app: State<'_, Desktop>) -> Answer<ListSessions> {
    app.list_sessions().await
}

#[tauri::command]
async fn revoke_session(app: State<'_, Desktop>, args: RevokeSession) -> Answer<RevokeSession> {
    app.revoke_session(args.id).await
}

#[tauri::command]
async fn sign_out_others(app: State<'_, Desktop>) -> Answer<SignOutOthers> {
    app.sign_out_others().await
}

#[tauri::command]
async fn delete_account(app: State<'_, Desktop>, args: DeleteAccount) -> Answer<DeleteAccount> {
    app.delete_account(args.password).await
}

#[tauri::command]
async fn get_settings(app: State<'_, Desktop>) -> Answer<GetSettings> {
    Ok(app.settings().await)
}

#[tauri::command]
async fn set_settings(app: State<'_, Desktop>, args: SetSettings) -> Answer<SetSettings> {
    app.set_settings(args.server).await
}

#[tauri::command]
async fn test_connection(app: State<'_, Desktop>, args: TestConnection) -> Answer<TestConnection> {
    app.test_connection(args.server).await
}

#[tauri::command]
async fn app_info(app: State<'_, Desktop>) -> Answer<GetAppInfo> {
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
            // Private (0700) before any file goes in.
            authdesk_desktop::files::ensure_private_dir(&dir)?;
            let settings = PluginFile::open(app.handle(), dir.join(SETTINGS_FILE))?;
            let session = PluginFile::open(app.handle(), dir.join(SESSION_FILE))?;
            let desktop = tauri::async_runtime::block_on(Desktop::open(dir, Box::new(settings), Box::new(session)))?
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
            verify_second_factor,
            request_password_reset,
            confirm_password_reset,
            set_up_totp,
            enable_totp,
            regenerate_recovery_codes,
            disable_totp,
            save_recovery_codes,
            admin_list_users,
            admin_set_disabled,
            admin_revoke_sessions,
            admin_audit,
        ])
        .run(tauri::generate_context!())
        .expect("error while running authdesk");
}
