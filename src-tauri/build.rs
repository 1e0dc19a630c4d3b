//! Generates `allow-<command>` permissions for the app's own commands. With an app manifest,
//! commands are no longer allowed by default: `capabilities/default.json` must grant each one.

const COMMANDS: &[&str] = &[
    "register",
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
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
