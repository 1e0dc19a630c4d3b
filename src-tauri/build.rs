//! Generates `allow-<command>` permissions for the app's own commands. With an app manifest,
//! commands are no longer allowed by default: `capabilities/default.json` must grant each one.

const COMMANDS: &[&str] = &[
    "register",
    "registration_info",
    "verify_email",
    "resend_verification",
    "sso_info",
    "sign_in_with_sso",
    "cancel_sso",
    "login",
    "logout",
    "restore_session",
    "me",
    "list_tasks",
    "create_task",
    "update_task",
    "delete_task",
    "get_settings",
    "set_settings",
    "test_connection",
    "app_info",
    "set_language",
    "change_password",
    "list_sessions",
    "revoke_session",
    "sign_out_others",
    "delete_account",
    "verify_second_factor",
    "request_password_reset",
    "confirm_password_reset",
    "set_up_totp",
    "enable_totp",
    "regenerate_recovery_codes",
    "disable_totp",
    "save_recovery_codes",
    "admin_list_users",
    "admin_set_disabled",
    "admin_revoke_sessions",
    "admin_audit",
    "admin_list_invitations",
    "admin_invite",
    "admin_revoke_invitation",
    "watch_sync",
    "sync_now",
    "list_waiting_changes",
    "discard_waiting_changes",
    "answer_leave_warning",
    "data_overview",
    "back_up_now",
    "choose_restore",
    "confirm_restore",
    "export_data",
    "choose_import",
    "confirm_import",
    "start_move",
    "move_progress",
    "continue_move",
    "finish_move",
];

/// `tauri::generate_context!` embeds `../ui/dist` and fails to compile without it. On a fresh
/// clone (before `scripts/run-app.sh` has built the UI) a placeholder page keeps `cargo test`,
/// `cargo clippy` and friends working; the scripts always build the real UI first.
fn ensure_frontend_dist() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist");
    let index = dist.join("index.html");
    if !index.exists() {
        std::fs::create_dir_all(&dist).expect("create ui/dist");
        std::fs::write(
            &index,
            "<!doctype html><meta charset=utf-8><title>authdesk</title>\n<p>The UI is not built: run scripts/run-app.sh.</p>\n",
        )
        .expect("write the placeholder ui/dist/index.html");
    }
}

fn main() {
    ensure_frontend_dist();
    // The UI is embedded at compile time: a fresh build of it (any file in the folder) rebuilds
    // the shell, with nothing to touch by hand.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
