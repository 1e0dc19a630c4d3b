use authdesk_contract::{check_password, password_checklist, validate_email};
use dioxus::prelude::*;

use super::sign_in::EmailField;
use crate::api::{self, ApiError};
use crate::components::{ErrorBanner, PasswordChecklist, PasswordField};
use crate::state::Auth;
use crate::Route;

#[component]
pub fn SignUp() -> Element {
    let auth = use_context::<Auth>();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);

    let email_problem = {
        let email = email.read();
        if email.trim().is_empty() {
            None
        } else {
            validate_email(&email).err().map(|e| e.message())
        }
    };
    let checklist = password_checklist(&password.read());
    let all_met = checklist.iter().all(|(_, ok)| *ok);

    let mut submit = move || {
        if busy() {
            return;
        }
        // The same rules the server applies: refuse early, with the server's own wording.
        if let Err(e) = validate_email(&email.peek()) {
            error.set(Some(local(e.message())));
            return;
        }
        if let Some(rule) = check_password(&password.peek()).first() {
            error.set(Some(local(rule.message())));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = async {
                api::register(&email.peek(), &password.peek()).await?;
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

    let hint = rsx! {
        p { id: "email-hint", class: if email_problem.is_some() { "hint bad" } else { "hint" }, aria_live: "polite",
            match email_problem {
                Some(problem) => rsx! { "{problem} — e.g. name@example.com" },
                None => rsx! { "We'll use it to sign you in." },
            }
        }
    };

    rsx! {
        section { class: "card narrow", aria_labelledby: "signup-title",
            h1 { id: "signup-title", "Create your account" }
            if let Some(e) = error.read().clone() {
                ErrorBanner { error: e, on_retry: move |_| submit() }
            }
            form {
                id: "signup-form",
                novalidate: true,
                onsubmit: move |e: FormEvent| {
                    e.prevent_default();
                    submit();
                },
                EmailField { value: email, hint }
                PasswordField { value: password, autocomplete: "new-password", described_by: "checklist" }
                PasswordChecklist { password, id: "checklist", rule_prefix: "rule" }
                button { id: "submit", r#type: "submit", class: "primary", disabled: busy(), "aria-disabled": "{!all_met}",
                    if busy() { "Creating account…" } else { "Create account" }
                }
            }
            p { class: "switch",
                "Already have an account? "
                Link { id: "to-signin", to: Route::SignIn {}, "Sign in" }
            }
        }
    }
}

fn local(message: &str) -> ApiError {
    ApiError { kind: "rejected".into(), message: message.into(), retry_after: None, status: None }
}
