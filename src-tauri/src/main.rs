//! Wires the [`Desktop`] logic into Tauri: plugins, the window, and one command per method. Each
//! command takes and answers the types of `authdesk_contract::desktop::commands`, which the UI uses
//! to call it.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use authdesk_contract::desktop::commands::*;
use authdesk_contract::desktop::{Command, CommandError};
use authdesk_desktop::files::PluginFile;
use authdesk_desktop::{Desktop, OpenOptions, SyncOptions, DATA_DIR_ENV, SESSION_FILE, SETTINGS_FILE};
use tauri::{Manager, State, WindowEvent};

/// What the command `C` answers: its output, or the error the UI reads.
type Answer<C> = Result<<C as Command>::Output, CommandError>;
/// The app's state, as every command gets it.
type App<'a> = State<'a, Arc<Desktop>>;

#[tauri::command]
async fn register(app: App<'_>, args: Register) -> Answer<Register> {
    app.register(args.email, args.password).await
}

#[tauri::command]
async fn login(app: App<'_>, args: Login) -> Answer<Login> {
    app.login(args.email, args.password).await
}

#[tauri::command]
async fn verify_second_factor(app: App<'_>, args: VerifySecondFactor) -> Answer<VerifySecondFactor> {
    app.verify_second_factor(args.code, args.recovery).await
}

#[tauri::command]
async fn request_password_reset(app: App<'_>, args: RequestPasswordReset) -> Answer<RequestPasswordReset> {
    app.request_password_reset(args.email).await
}

#[tauri::command]
async fn confirm_password_reset(app: App<'_>, args: ConfirmPasswordReset) -> Answer<ConfirmPasswordReset> {
    app.confirm_password_reset(args.email, args.code, args.new_password).await
}

#[tauri::command]
async fn set_up_totp(app: App<'_>, args: SetUpTotp) -> Answer<SetUpTotp> {
    app.set_up_totp(args.password).await
}

#[tauri::command]
async fn enable_totp(app: App<'_>, args: EnableTotp) -> Answer<EnableTotp> {
    app.enable_totp(args.code).await
}

#[tauri::command]
async fn regenerate_recovery_codes(app: App<'_>, args: RegenerateRecoveryCodes) -> Answer<RegenerateRecoveryCodes> {
    app.regenerate_recovery_codes(args.password).await
}

#[tauri::command]
async fn disable_totp(app: App<'_>, args: DisableTotp) -> Answer<DisableTotp> {
    app.disable_totp(args.password, args.code).await
}

#[tauri::command]
async fn save_recovery_codes(app: App<'_>, args: SaveRecoveryCodes) -> Answer<SaveRecoveryCodes> {
    app.save_recovery_codes(args.codes)
}

#[tauri::command]
async fn admin_list_users(app: App<'_>, args: AdminListUsers) -> Answer<AdminListUsers> {
    app.admin_list_users(args.query, args.cursor).await
}

#[tauri::command]
async fn admin_set_disabled(app: App<'_>, args: AdminSetDisabled) -> Answer<AdminSetDisabled> {
    app.admin_set_disabled(args.id, args.disabled).await
}

#[tauri::command]
async fn admin_revoke_sessions(app: App<'_>, args: AdminRevokeSessions) -> Answer<AdminRevokeSessions> {
    app.admin_revoke_sessions(args.id).await
}

#[tauri::command]
async fn admin_audit(app: App<'_>, args: AdminAudit) -> Answer<AdminAudit> {
    app.admin_audit(args).await
}

#[tauri::command]
async fn logout(app: App<'_>, args: Logout) -> Answer<Logout> {
    app.logout(args.discard_waiting).await
}

#[tauri::command]
async fn watch_sync(app: App<'_>, args: WatchSync) -> Answer<WatchSync> {
    Ok(app.watch_sync(args.seen).await)
}

#[tauri::command]
async fn sync_now(app: App<'_>) -> Answer<SyncNow> {
    app.sync_now().await
}

#[tauri::command]
async fn list_waiting_changes(app: App<'_>) -> Answer<ListWaitingChanges> {
    app.list_waiting_changes().await
}

#[tauri::command]
async fn discard_waiting_changes(app: App<'_>, args: DiscardWaitingChanges) -> Answer<DiscardWaitingChanges> {
    app.discard_waiting_changes(args.user_id).await
}

/// Closes the app if the user chose to leave with changes waiting.
#[tauri::command]
async fn answer_leave_warning(
    app: App<'_>,
    handle: tauri::AppHandle,
    args: AnswerLeaveWarning,
) -> Answer<AnswerLeaveWarning> {
    if app.answer_leave_warning(args.leave) {
        handle.exit(0);
    }
    Ok(())
}

#[tauri::command]
async fn restore_session(app: App<'_>) -> Answer<RestoreSession> {
    app.restore_session().await
}

#[tauri::command]
async fn me(app: App<'_>) -> Answer<Me> {
    app.me().await
}

#[tauri::command]
async fn list_tasks(app: App<'_>) -> Answer<ListTasks> {
    app.list_tasks().await
}

#[tauri::command]
async fn create_task(app: App<'_>, args: CreateTask) -> Answer<CreateTask> {
    app.create_task(args.title).await
}

#[tauri::command]
async fn update_task(app: App<'_>, args: UpdateTask) -> Answer<UpdateTask> {
    app.update_task(args.id, args.changes).await
}

#[tauri::command]
async fn delete_task(app: App<'_>, args: DeleteTask) -> Answer<DeleteTask> {
    app.delete_task(args.id).await
}

#[tauri::command]
async fn change_password(app: App<'_>, args: ChangePassword) -> Answer<ChangePassword> {
    app.change_password(args.current, args.new).await
}

#[tauri::command]
async fn list_sessions(app: App<'_>) -> Answer<ListSessions> {
    app.list_sessions().await
}

#[tauri::command]
async fn revoke_session(app: App<'_>, args: RevokeSession) -> Answer<RevokeSession> {
    app.revoke_session(args.id).await
}

#[tauri::command]
async fn sign_out_others(app: App<'_>) -> Answer<SignOutOthers> {
    app.sign_out_others().await
}

#[tauri::command]
async fn delete_account(app: App<'_>, args: DeleteAccount) -> Answer<DeleteAccount> {
    app.delete_account(args.password).await
}

#[tauri::command]
async fn get_settings(app: App<'_>) -> Answer<GetSettings> {
    Ok(app.settings().await)
}

#[tauri::command]
async fn set_settings(app: App<'_>, args: SetSettings) -> Answer<SetSettings> {
    app.set_settings(args.server).await
}

#[tauri::command]
async fn test_connection(app: App<'_>, args: TestConnection) -> Answer<TestConnection> {
    app.test_connection(args.server).await
}

#[tauri::command]
async fn app_info(app: App<'_>) -> Answer<GetAppInfo> {
    Ok(app.app_info().await)
}

fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Ok(app.path().app_data_dir()?),
    }
}

/// The main window, from its entry in `tauri.conf.json` (`create: false` there, so it is made
/// here): its title follows the page's, which names the screen ("Sign in · authdesk").
fn main_window(app: &tauri::App) -> tauri::Result<()> {
    let config = app.config().app.windows.iter().find(|w| w.label == "main").cloned();
    let config = config.ok_or_else(|| tauri::Error::WindowNotFound)?;
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_document_title_changed(|window, title| {
            let _ = window.set_title(&title);
        })
        .build()?;
    Ok(())
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
            // The window first, so WebKit starts while the app state opens.
            main_window(app)?;
            let dir = data_dir(app)?;
            // Private (0700) before any file goes in.
            authdesk_desktop::files::ensure_private_dir(&dir)?;
            let settings = PluginFile::open(app.handle(), dir.join(SETTINGS_FILE))?;
            let session = PluginFile::open(app.handle(), dir.join(SESSION_FILE))?;
            let options = OpenOptions { keychain: true, sync: SyncOptions::from_env() };
            let desktop =
                tauri::async_runtime::block_on(Desktop::open(dir, Box::new(settings), Box::new(session), options))?;
            app.manage(desktop);
            if let (Some(theme), Some(window)) = (authdesk_desktop::forced_theme(), app.get_webview_window("main")) {
                let theme = if theme == "dark" { tauri::Theme::Dark } else { tauri::Theme::Light };
                let _ = window.set_theme(Some(theme));
            }
            Ok(())
        })
        // Closing with changes that have not reached the server is held back once, for the UI
        // to say so (the changes are kept either way and sent at the next launch).
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.state::<Arc<Desktop>>().hold_close() {
                    api.prevent_close();
                }
            }
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
            watch_sync,
            sync_now,
            list_waiting_changes,
            discard_waiting_changes,
            answer_leave_warning,
        ])
        .run(tauri::generate_context!())
        .expect("error while running authdesk");
}
