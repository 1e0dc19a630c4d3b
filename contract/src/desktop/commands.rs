//! One type per shell command: its fields are the command's arguments, [`Command::NAME`] the
//! Tauri command it calls and [`Command::Output`] what it answers. The UI sends a command as
//! `{"args": <the command>}`; the shell's command function takes it as its `args` parameter (the
//! commands without fields take none) and returns `Output` or a [`CommandError`].
//!
//! [`CommandError`]: super::CommandError

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AppInfo, ServerChoice, SettingsSaved, SignInStep, SignedOut, SyncStatus, TotpEnrollment, WaitingChanges};
use crate::registration::{Invitation, InvitationList, RegistrationInfo};
use crate::sso::SsoInfo;
use crate::tasks::{Task, UpdateTaskRequest};
use crate::wire::{AdminUser, AdminUserPage, AuditPage, HealthResponse, MeResponse, SessionInfo, SessionsEnded};

pub trait Command: Serialize + 'static {
    /// The Tauri command, i.e. the shell's function of that name.
    const NAME: &'static str;
    type Output: Serialize + DeserializeOwned + 'static;
}

macro_rules! command {
    ($command:ty, $name:literal => $output:ty) => {
        impl $crate::desktop::commands::Command for $command {
            const NAME: &'static str = $name;
            type Output = $output;
        }
    };
}
pub(super) use command;

/// Creates the account (with an invitation code, when the server asks for one), then signs in
/// with it; on a `verified` server the next step is the mailed code
/// ([`SignInStep::VerifyEmail`](super::SignInStep::VerifyEmail)).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub invitation_code: Option<String>,
}
command!(Register, "register" => SignInStep);

/// What the current server's sign-up asks for (the embedded server: open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetRegistration;
command!(GetRegistration, "registration_info" => RegistrationInfo);

/// Verifies the address with its mailed code, which signs in (or asks for the second factor).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyEmail {
    pub email: String,
    pub code: String,
}
command!(VerifyEmail, "verify_email" => SignInStep);

/// Whether the current server offers single sign-on, and its button's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSso;
command!(GetSso, "sso_info" => SsoInfo);

/// Signs in through the team's provider in the system browser; answers when the browser came
/// back (or after five minutes, or a [`CancelSso`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInWithSso;
command!(SignInWithSso, "sign_in_with_sso" => SignInStep);

/// Gives up a single sign-on waiting for the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelSso;
command!(CancelSso, "cancel_sso" => ());

/// Asks for a new verification code; answers the server's message (the same for every address).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResendVerification {
    pub email: String,
}
command!(ResendVerification, "resend_verification" => String);

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub email: String,
    pub password: String,
}
command!(Login, "login" => SignInStep);

/// Completes a sign-in that asked for a second factor: a code from the authenticator app, or
/// (`recovery`) one of the recovery codes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifySecondFactor {
    pub code: String,
    pub recovery: bool,
}
command!(VerifySecondFactor, "verify_second_factor" => MeResponse);

/// Asks the server to mail a password reset code; answers its message (the same whether or not
/// the address has an account).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPasswordReset {
    pub email: String,
}
command!(RequestPasswordReset, "request_password_reset" => String);

/// Sets a new password with a reset code; answers the server's message. Signs nobody in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmPasswordReset {
    pub email: String,
    pub code: String,
    pub new_password: String,
}
command!(ConfirmPasswordReset, "confirm_password_reset" => String);

/// Ends the session on the server and forgets it here; the answer says whether the server ended
/// it (the session is forgotten on this computer either way). In remote mode, changes that have
/// not reached the server are sent first; if some still wait, the answer is
/// [`ErrorKind::ChangesWaiting`](super::ErrorKind::ChangesWaiting) and nothing is signed out,
/// unless `discard_waiting` says to drop them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logout {
    #[serde(default)]
    pub discard_waiting: bool,
}
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

/// Chooses the app's language (a tag such as "de"), or `None` to follow the system's; answers
/// the language the app now speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetLanguage {
    pub language: Option<String>,
}
command!(SetLanguage, "set_language" => String);

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

/// Starts setting up TOTP (the password is checked again): the secret to add to an app.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUpTotp {
    pub password: String,
}
command!(SetUpTotp, "set_up_totp" => TotpEnrollment);

/// Turns TOTP on with the app's first code; answers the recovery codes, shown this once. The
/// server signs out every other session.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnableTotp {
    pub code: String,
}
command!(EnableTotp, "enable_totp" => Vec<String>);

/// Replaces the recovery codes, with the password and a current code or an unused recovery code
/// (spent); answers the new ones.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegenerateRecoveryCodes {
    pub password: String,
    pub code: String,
}
command!(RegenerateRecoveryCodes, "regenerate_recovery_codes" => Vec<String>);

/// Turns the second factor off, with the password and a current or recovery code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisableTotp {
    pub password: String,
    pub code: String,
}
command!(DisableTotp, "disable_totp" => String);

/// Writes recovery codes to a new text file, readable only by this user, in the Documents folder;
/// answers its path.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveRecoveryCodes {
    pub codes: Vec<String>,
}
command!(SaveRecoveryCodes, "save_recovery_codes" => String);

/// Administration (administrators only; others get the server's 403): a page of accounts whose
/// email contains `query`, after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminListUsers {
    pub query: Option<String>,
    pub cursor: Option<String>,
}
command!(AdminListUsers, "admin_list_users" => AdminUserPage);

/// Disables (ending every session) or enables an account; answers it as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSetDisabled {
    pub id: Uuid,
    pub disabled: bool,
}
command!(AdminSetDisabled, "admin_set_disabled" => AdminUser);

/// Ends every session of an account; answers the server's message and, from a server that says
/// it, how many ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRevokeSessions {
    pub id: Uuid,
}
command!(AdminRevokeSessions, "admin_revoke_sessions" => SessionsEnded);

/// The pending invitations, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminListInvitations;
command!(AdminListInvitations, "admin_list_invitations" => InvitationList);

/// Invites an address as `role` (`user` or `admin`); the answer carries the code, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminInvite {
    pub email: String,
    pub role: String,
}
command!(AdminInvite, "admin_invite" => Invitation);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminRevokeInvitation {
    pub id: Uuid,
}
command!(AdminRevokeInvitation, "admin_revoke_invitation" => ());

/// A page of the audit log, newest first, filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminAudit {
    pub user_id: Option<Uuid>,
    /// An event type, e.g. `login_failed`.
    pub kind: Option<String>,
    /// A day, `2026-11-01`.
    pub since: Option<String>,
    pub cursor: Option<String>,
}
command!(AdminAudit, "admin_audit" => AuditPage);

/// The sync state as soon as its `revision` differs from `seen` (at once when `seen` is `None`),
/// or as it is after about 25 seconds: the header's long poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchSync {
    pub seen: Option<u64>,
}
command!(WatchSync, "watch_sync" => SyncStatus);

/// Syncs now (the header's Retry): the shell's loop runs at once instead of after its wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncNow;
command!(SyncNow, "sync_now" => ());

/// Accounts of the current server whose changes made here still wait, while signed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListWaitingChanges;
command!(ListWaitingChanges, "list_waiting_changes" => Vec<WaitingChanges>);

/// Drops an account's waiting changes and its copy of the tasks on this computer (the user
/// confirmed it); its server keeps what it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscardWaitingChanges {
    pub user_id: Uuid,
}
command!(DiscardWaitingChanges, "discard_waiting_changes" => ());

/// The answer to the leave warning: close the app now (`leave`), or stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerLeaveWarning {
    pub leave: bool,
}
command!(AnswerLeaveWarning, "answer_leave_warning" => ());
