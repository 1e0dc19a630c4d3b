//! Wires the [`Desktop`] facade into Tauri: plugins, the window, and the commands (`commands/`,
//! one file per area), each taking and answering the types of `authdesk_contract::desktop::commands`,
//! which the UI uses to call it.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use authdesk_desktop::files::PluginFile;
use authdesk_desktop::{Desktop, OpenOptions, SyncOptions, DATA_DIR_ENV, SESSION_FILE, SETTINGS_FILE};
use tauri::{Manager, WindowEvent};

mod commands;
use commands::{account, admin, data, sessions, settings, sync, tasks};

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
        .plugin(tauri_plugin_dialog::init())
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
            match authdesk_desktop::data::test_picker_from_env() {
                Some(folder) => desktop.use_picker(Arc::new(folder)),
                None => desktop.use_picker(Arc::new(commands::dialogs::NativeDialogs(app.handle().clone()))),
            }
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
            account::register,
            account::registration_info,
            account::verify_email,
            account::resend_verification,
            account::sso_info,
            account::sign_in_with_sso,
            account::cancel_sso,
            account::login,
            account::verify_second_factor,
            account::restore_session,
            account::me,
            account::change_password,
            account::delete_account,
            account::request_password_reset,
            account::confirm_password_reset,
            account::set_up_totp,
            account::enable_totp,
            account::regenerate_recovery_codes,
            account::disable_totp,
            account::save_recovery_codes,
            sessions::logout,
            sessions::list_sessions,
            sessions::revoke_session,
            sessions::sign_out_others,
            tasks::list_tasks,
            tasks::create_task,
            tasks::update_task,
            tasks::delete_task,
            admin::admin_list_users,
            admin::admin_set_disabled,
            admin::admin_revoke_sessions,
            admin::admin_audit,
            admin::admin_list_invitations,
            admin::admin_invite,
            admin::admin_revoke_invitation,
            sync::watch_sync,
            sync::sync_now,
            sync::list_waiting_changes,
            sync::discard_waiting_changes,
            sync::answer_leave_warning,
            settings::get_settings,
            settings::set_settings,
            settings::test_connection,
            settings::app_info,
            settings::set_language,
            data::data_overview,
            data::back_up_now,
            data::choose_restore,
            data::confirm_restore,
            data::export_data,
            data::choose_import,
            data::confirm_import,
            data::start_move,
            data::move_progress,
            data::continue_move,
            data::finish_move,
        ])
        .run(tauri::generate_context!())
        .expect("error while running authdesk");
}
