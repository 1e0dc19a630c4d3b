use authdesk_contract::desktop::commands::Register;
use authdesk_contract::desktop::{CommandError, CommandResult};
use dioxus::prelude::*;

use crate::components::action::use_action;
use crate::components::form::{Checklist, EmailField, Form, PasswordField, SubmitButton};
use crate::components::{use_screen_title, ErrorBanner};
use crate::policy::{check_password, password_checklist, validate_email};
use crate::state::CurrentUser;
use crate::Route;

#[component]
pub fn SignUp() -> Element {
    use_screen_title("Create account");
    let current = use_context::<CurrentUser>();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut submit = use_action(move || sign_up(current, email.peek().clone(), password.peek().clone()));
    let all_met = password_checklist(&password.read()).iter().all(|(_, ok)| *ok);

    rsx! {
        section { class: "card narrow", aria_labelledby: "signup-title",
            h1 { id: "signup-title", "Create your account" }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e, on_retry: move |_| { submit.call(); } }
            }
            Form {
                id: "signup-form",
                busy: submit.pending(),
                onsubmit: move |_| { submit.call(); },
                EmailField { value: email, hint: true }
                PasswordField {
                    id: "password",
                    label: "Password",
                    value: password,
                    autocomplete: "new-password",
                    reveal: true,
                    checklist: Checklist { id: "checklist", rule_prefix: "rule" },
                }
                SubmitButton { id: "submit", label: "Create account", busy_label: "Creating account…", busy: submit.pending(), incomplete: !all_met }
            }
            p { class: "switch",
                "Already have an account? "
                Link { id: "to-signin", to: Route::SignIn {}, "Sign in" }
            }
        }
    }
}

/// Refuses early what the server would refuse, in the server's own words; else creates the
/// account and signs in.
async fn sign_up(current: CurrentUser, email: String, password: String) -> CommandResult<()> {
    validate_email(&email).map_err(|e| CommandError::rejected(e.message()))?;
    if let Some(rule) = check_password(&password).first() {
        return Err(CommandError::rejected(rule.message()));
    }
    current.sign_in_with(Register { email, password }).await
}
