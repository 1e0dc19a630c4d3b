use dioxus::prelude::*;

use crate::api::{self, Backend};
use crate::components::{ErrorBanner, PasswordField};
use crate::state::Auth;
use crate::Route;

#[component]
pub fn SignIn() -> Element {
    let auth = use_context::<Auth>();
    let nav = navigator();
    // Already signed in (restored session): straight to the dashboard.
    use_effect(move || {
        if auth.user.read().is_some() {
            nav.replace(Route::Dashboard {});
        }
    });
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None);
    let backend = use_resource(api::get_settings);

    let mut submit = move || {
        if busy() {
            return;
        }
        busy.set(true);
        error.set(None);
        let mut boot_error = auth.boot_error;
        boot_error.set(None);
        spawn(async move {
            let result = async {
                api::login(&email.peek(), &password.peek()).await?;
                api::me().await
            }
            .await;
            busy.set(false);
            match result {
                Ok(me) => auth.signed_in(me),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let server = match &*backend.read() {
        Some(Ok(b)) => b.describe(),
        Some(Err(_)) => "unknown".into(),
        None => "…".into(),
    };
    let remote = matches!(&*backend.read(), Some(Ok(Backend::Remote { .. })));

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
            } else if let Some(e) = error.read().clone() {
                ErrorBanner { error: e, on_retry: move |_| submit() }
            }
            form {
                id: "signin-form",
                novalidate: true,
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    submit();
                },
                EmailField { value: email }
                PasswordField { value: password, autocomplete: "current-password" }
                button { id: "submit", r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { "Signing in…" } else { "Sign in" }
                }
            }
            p { class: "switch",
                "No account yet? "
                Link { id: "to-signup", to: Route::SignUp {}, "Create one" }
            }
        }
    }
}

#[component]
pub fn EmailField(value: Signal<String>, hint: Option<Element>) -> Element {
    let mut value = value;
    rsx! {
        label { r#for: "email", "Email" }
        input {
            id: "email",
            name: "email",
            r#type: "email",
            autocomplete: "email",
            required: true,
            autofocus: true,
            aria_describedby: "email-hint",
            value: "{value}",
            oninput: move |e| value.set(e.value()),
        }
        {hint}
    }
}
