//! App-wide state shared through context: who is signed in, and a notice for the sign-in screen.

use authdesk_contract::MeResponse;
use dioxus::prelude::*;

use crate::api::{self, ApiError};
use crate::Route;

#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in user, as `/api/auth/me` describes them.
    pub user: Signal<Option<MeResponse>>,
    /// A message for the sign-in screen (session expired, signed out, backend switched).
    pub notice: Signal<Option<String>>,
    /// True until the stored session has been checked.
    pub booting: Signal<bool>,
    /// A failure while restoring (e.g. the remote server is unreachable).
    pub boot_error: Signal<Option<ApiError>>,
}

impl Auth {
    pub fn new() -> Self {
        Self {
            user: Signal::new(None),
            notice: Signal::new(None),
            booting: Signal::new(true),
            boot_error: Signal::new(None),
        }
    }

    pub async fn restore(mut self) {
        match api::restore_session().await {
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
        self.user.set(Some(me));
        navigator().replace(Route::Dashboard {});
    }

    pub fn signed_out(mut self, notice: Option<String>) {
        self.user.set(None);
        self.notice.set(notice);
        navigator().replace(Route::SignIn {});
    }

    /// Returns the error for the screen to show, unless it was a 401: then the session is gone
    /// and the user goes back to sign in with the shell's message.
    pub fn check(self, error: ApiError) -> Option<ApiError> {
        if error.is("unauthorized") {
            self.signed_out(Some(error.message));
            None
        } else {
            Some(error)
        }
    }
}
