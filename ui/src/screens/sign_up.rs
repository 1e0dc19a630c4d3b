//! Create an account, as the server's registration mode asks: open, with the mailed code next
//! (`verified`), or with an invitation code (`invite`); a server that registers only some domains
//! says which.

use authdesk_contract::desktop::commands::{GetRegistration, Register};
use authdesk_contract::desktop::{CommandError, CommandResult, SignInStep};
use authdesk_contract::{RegistrationInfo, RegistrationMode};
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{Checklist, EmailField, Form, PasswordField, SubmitButton};
use crate::components::{use_screen_title, ErrorBanner};
use crate::i18n::errors::{email_error_text, password_error_text};
use crate::policy::{check_password, password_checklist, validate_email};
use crate::state::CurrentUser;
use crate::{t, Route};

use super::verify_email::VerifyEmailStep;

#[component]
pub fn SignUp() -> Element {
    use_screen_title(|| t!("sign-up-title"));
    let current = use_context::<CurrentUser>();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut invitation = use_signal(String::new);
    // The address whose mailed code comes next (a `verified` server).
    let mut verifying = use_signal(|| None::<String>);
    let registration = use_answer(GetRegistration);
    let info = registration.read().as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default();
    let invite = info.mode == RegistrationMode::Invite;
    let mut submit = use_action(move || {
        let form = (email.peek().clone(), password.peek().clone(), invitation.peek().trim().to_owned());
        async move {
            match sign_up(form.0, form.1, Some(form.2).filter(|c| !c.is_empty())).await? {
                SignInStep::SignedIn { user } => current.signed_in(user),
                SignInStep::VerifyEmail { email } => verifying.set(Some(email)),
                SignInStep::SecondFactor { .. } => return Err(CommandError::rejected(t!("sign-up-second-factor"))),
            }
            Ok(())
        }
    });
    let all_met = password_checklist(&password.read()).iter().all(|(_, ok)| *ok);

    if let Some(address) = verifying() {
        return rsx! {
            VerifyEmailStep {
                email: address,
                sent: true,
                on_restart: move |notice: Option<String>| {
                    let mut notice_slot = current.notice;
                    notice_slot.set(notice);
                    submit.reset();
                    verifying.set(None);
                },
            }
        };
    }

    rsx! {
        section { class: "card narrow", aria_labelledby: "signup-title",
            h1 { id: "signup-title", {t!("sign-up-heading")} }
            RegistrationNotice { info: info.clone() }
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
                    label: t!("sign-up-password"),
                    value: password,
                    autocomplete: "new-password",
                    reveal: true,
                    checklist: Checklist { id: "checklist", rule_prefix: "rule" },
                }
                if invite {
                    label { r#for: "invitation-code", {t!("sign-up-invitation-code")} }
                    input {
                        id: "invitation-code",
                        r#type: "text",
                        autocomplete: "off",
                        spellcheck: "false",
                        placeholder: "XXXX-XXXX-XXXX-XXXX",
                        aria_describedby: "invitation-hint",
                        value: "{invitation}",
                        oninput: move |e| invitation.set(e.value()),
                    }
                    p { id: "invitation-hint", class: "hint", {t!("sign-up-invitation-hint")} }
                }
                SubmitButton {
                    id: "submit",
                    label: t!("sign-up-submit"),
                    busy_label: t!("sign-up-submitting"),
                    busy: submit.pending(),
                    incomplete: !all_met,
                }
            }
            p { class: "switch",
                {t!("sign-up-have-account")}
                " "
                Link { id: "to-signin", to: Route::SignIn {}, {t!("sign-up-sign-in")} }
            }
        }
    }
}

/// What this server asks of a new account, said before the form: by invitation, a mailed code,
/// which domains. Nothing for an open server (the embedded one always is).
#[component]
fn RegistrationNotice(info: RegistrationInfo) -> Element {
    let domains = info.allowed_domains.iter().map(|d| format!("@{d}")).collect::<Vec<_>>().join(", ");
    rsx! {
        match info.mode {
            RegistrationMode::Invite => rsx! {
                p { id: "registration-mode", class: "banner info", {t!("sign-up-mode-invite")} }
            },
            RegistrationMode::Verified => rsx! {
                p { id: "registration-mode", class: "banner info", {t!("sign-up-mode-verified")} }
            },
            RegistrationMode::Open => rsx! {},
        }
        if !domains.is_empty() {
            p { id: "registration-domains", class: "hint", {t!("sign-up-domains", domains = domains.clone())} }
        }
    }
}

/// Refuses early what the server would refuse, in the server's own words; else creates the
/// account (and signs in, or goes on to the mailed code).
async fn sign_up(email: String, password: String, invitation_code: Option<String>) -> CommandResult<SignInStep> {
    validate_email(&email).map_err(|e| CommandError::rejected(email_error_text(e)))?;
    if let Some(rule) = check_password(&password).first() {
        return Err(CommandError::rejected(password_error_text(*rule)));
    }
    api::call(Register { email, password, invitation_code }).await
}
