use authdesk_contract::desktop::commands::{GetSettings, Login};
use authdesk_contract::desktop::ServerChoice;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::failure;
use crate::components::form::{EmailField, Form, PasswordField, SubmitButton};
use crate::components::{use_screen_for, ErrorBanner};
use crate::state::Auth;
use crate::Route;

#[component]
pub fn SignIn() -> Element {
    let auth = use_context::<Auth>();
    // Already signed in (restored session): straight to the dashboard.
    use_screen_for(false);
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let server = use_resource(|| api::call(GetSettings));
    let mut submit = use_action(move || {
        let mut boot_error = auth.boot_error;
        boot_error.set(None);
        auth.sign_in_with(Login { email: email.peek().clone(), password: password.peek().clone() })
    });

    let (server, remote) = match &*server.read() {
        Some(Ok(s)) => (s.describe(), matches!(s, ServerChoice::Remote { .. })),
        Some(Err(_)) => ("unknown".into(), false),
        None => ("…".into(), false),
    };

    rsx! {
        section { class: "card narrow", aria_labelledby: "signin-title",
            h1 { id: "signin-title", "Sign in" }
            p { class: "muted", id: "server-line",
                "Server: "
                span { id: "server", class: if remote { "pill remote" } else { "pill" }, "{server}" }
            }
            if let Some(notice) = auth.notice.read().clone() {
                div { id: "notice", class: "banner info", role: "status", "{notice}" }
            }
            // The stored session could not be checked (e.g. the remote server is down).
            if let Some(e) = auth.boot_error.read().clone() {
                ErrorBanner { error: e, on_retry: move |_| { spawn(auth.restore()); } }
            } else if let Some(e) = failure(&submit) {
                ErrorBanner { error: e, on_retry: move |_| { submit.call(); } }
            }
            Form {
                id: "signin-form",
                busy: submit.pending(),
                onsubmit: move |_| { submit.call(); },
                EmailField { value: email }
                PasswordField { id: "password", label: "Password", value: password, autocomplete: "current-password", reveal: true }
                SubmitButton { id: "submit", label: "Sign in", busy_label: "Signing in…", busy: submit.pending() }
            }
            p { class: "switch",
                "No account yet? "
                Link { id: "to-signup", to: Route::SignUp {}, "Create one" }
            }
        }
    }
}
