//! App-wide state shared through context: who is signed in, a notice for the sign-in screen, and
//! remote mode's sync status.

use authdesk_contract::desktop::commands::{RestoreSession, WatchSync};
use authdesk_contract::desktop::{CommandError, SyncStatus};
use authdesk_contract::MeResponse;
use dioxus::prelude::*;

use crate::api;
use crate::i18n::errors::error_text;
use crate::Route;

#[derive(Clone, Copy)]
pub struct CurrentUser {
    /// The signed-in user, as `/api/auth/me` describes them.
    pub user: Signal<Option<MeResponse>>,
    /// A message for the sign-in screen (session expired, signed out, server switched).
    pub notice: Signal<Option<String>>,
    /// True until the stored session has been checked.
    pub booting: Signal<bool>,
    /// A failure while restoring (e.g. the remote server is unreachable).
    pub boot_error: Signal<Option<CommandError>>,
    /// The profile came with a sign-in just now: the dashboard need not ask for it again.
    pub profile_fresh: Signal<bool>,
}

impl CurrentUser {
    pub fn new() -> Self {
        Self {
            user: Signal::new(None),
            notice: Signal::new(None),
            booting: Signal::new(true),
            boot_error: Signal::new(None),
            profile_fresh: Signal::new(false),
        }
    }

    pub async fn restore(mut self) {
        match api::call(RestoreSession).await {
            Ok(user) => {
                self.user.set(user);
                self.boot_error.set(None);
            }
            Err(e) => self.boot_error.set(Some(e)),
        }
        self.booting.set(false);
    }

    pub fn signed_in(mut self, me: MeResponse) {
        self.notice.set(None);
        self.profile_fresh.set(true);
        self.user.set(Some(me));
        navigator().replace(Route::Dashboard {});
    }

    pub fn signed_out(mut self, notice: Option<String>) {
        self.user.set(None);
        self.notice.set(notice);
        navigator().replace(Route::SignIn {});
    }

    /// Passes `error` on for the screen to show; a 401 means the session is gone, so the user also
    /// goes back to sign in with the error's words (and the screen with it).
    pub fn check(self, error: CommandError) -> CommandError {
        if error.is_unauthorized() {
            self.signed_out(Some(error_text(&error)));
        }
        error
    }
}

/// The shell's sync status (remote mode), followed for as long as the app runs.
#[derive(Clone, Copy)]
pub struct SyncWatch {
    pub status: Signal<SyncStatus>,
}

impl SyncWatch {
    pub fn new() -> Self {
        Self { status: Signal::new(SyncStatus::default()) }
    }

    /// Asks the shell for each new status as it comes (a long poll: the shell answers when the
    /// status changes, or after a while with the same one).
    pub async fn follow(mut self) {
        let mut seen = None;
        loop {
            match api::call(WatchSync { seen }).await {
                Ok(status) => {
                    seen = Some(status.revision);
                    if *self.status.peek() != status {
                        self.status.set(status);
                    }
                }
                // Not expected (the command cannot fail); never spin on it.
                Err(_) => api::sleep(2_000).await,
            }
        }
    }
}
