//! One type per shell command: its fields are the command's arguments, [`Command::NAME`] the
//! Tauri command it calls and [`Command::Output`] what it answers. The UI sends a command as
//! `{"args": <the command>}`; the shell's command function takes it as its `args` parameter (the
//! commands without fields take none) and returns `Output` or a [`CommandError`].
//!
//! [`CommandError`]: super::CommandError

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AppInfo, ServerChoice, SettingsSaved, SignedInUser, SignedOut};
use crate::wire::{HealthResponse, MeResponse, SessionInfo, Task, UpdateTaskRequest};

pub trait Command: Serialize + 'static {
    /// The Tauri command, i.e. the shell's function of that name.
    const NAME: &'static str;
    type Output: Serialize + DeserializeOwned + 'static;
}

macro_rules! command {
    ($command:ty, $name:literal => $output:ty) => {
        impl Command for $command {
            const NAME: &'static str = $name;
            type Output = $output;
        }
    };
}

/// Creates the account, then signs in with it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    pub email: String,
    pub password: String,
}
command!(Register, "register" => SignedInUser);

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub email: String,
    pub password: String,
}
command!(Login, "login" => SignedInUser);

/// Ends the session on the server and forgets it here; the answer says whether the server ended
/// it (the session is forgotten on this computer either way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logout;
command!(Logout, "logout" => SignedOut);

/// The stored session's user if the server still accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreSession;
command!(RestoreSession, "restore_session" => Option<MeResponse>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me;
command!(Me, "me" => MeResponse);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListTasks;
command!(ListTasks, "list_tasks" => Vec<Task>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTask {
    pub title: String,
}
command!(CreateTask, "create_task" => Task);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateTask {
    pub id: Uuid,
    pub changes: UpdateTaskRequest,
}
command!(UpdateTask, "update_task" => Task);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteTask {
    pub id: Uuid,
}
command!(DeleteTask, "delete_task" => ());

/// The saved server choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSettings;
command!(GetSettings, "get_settings" => ServerChoice);

/// Saves and switches to `server`; a different one signs out of the old one first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSettings {
    pub server: ServerChoice,
}
command!(SetSettings, "set_settings" => SettingsSaved);

/// Asks `server` (or, when `None`, the current one) for its health, without switching to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestConnection {
    pub server: Option<ServerChoice>,
}
command!(TestConnection, "test_connection" => HealthResponse);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAppInfo;
command!(GetAppInfo, "app_info" => AppInfo);

/// Answers the server's message; the server signs out every other session.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePassword {
    pub current: String,
    pub new: String,
}
command!(ChangePassword, "change_password" => String);

/// The account's sessions on the server, this one marked `current`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSessions;
command!(ListSessions, "list_sessions" => Vec<SessionInfo>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeSession {
    pub id: Uuid,
}
command!(RevokeSession, "revoke_session" => ());

/// Signs out every other session of the account; answers how many were ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOutOthers;
command!(SignOutOthers, "sign_out_others" => usize);

/// Deletes the account (the password is checked again); the shell forgets the session.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteAccount {
    pub password: String,
}
command!(DeleteAccount, "delete_account" => ());
