//! "Check your email": the 8-digit code a `verified` server mailed to the address, which verifies
//! it and signs in. Shown after signing up on such a server, and when signing in to an account
//! whose address is not verified yet. A new code can be asked for, once a minute.

use authdesk_contract::desktop::commands::{ResendVerification, VerifyEmail};
use authdesk_contract::desktop::{CommandError, SignInStep};
use authdesk_contract::ErrorCode;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::form::{Form, SubmitButton};
use crate::components::ErrorBanner;
use crate::state::CurrentUser;
use crate::t;

/// Seconds between two requests for a new code: the server mails at most a few an hour.
const RESEND_AFTER: u32 = 60;

/// `sent`: whether a code was just mailed (after sign-up) or the user must ask for one (a sign-in
/// to an unverified account mails nothing by itself). `on_restart`: back to the form, with a
/// notice when there is one.
#[component]
pub fn VerifyEmailStep(email: String, sent: bool, on_restart: EventHandler<Option<String>>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut code = use_signal(String::new);
    let mut wait = use_signal(|| if sent { RESEND_AFTER } else { 0 });
    let mut resent = use_signal(|| false);
    let mut countdown = move || {
        wait.set(RESEND_AFTER);
        spawn(async move {
            while *wait.peek() > 0 {
                api::sleep(1_000).await;
                let left = wait.peek().saturating_sub(1);
                wait.set(left);
            }
        });
    };
    use_hook(move || {
        if sent {
            countdown();
        }
    });
    let address = email.clone();
    let mut verify = use_action(move || {
        let (email, typed) = (address.clone(), code.peek().trim().to_owned());
        async move {
            let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 8 {
                return Err(CommandError::rejected(t!("verify-email-code-missing")));
            }
            match api::call(VerifyEmail { email, code: digits }).await? {
                SignInStep::SignedIn { user } => current.signed_in(user),
                // The account has a second factor: its code is asked at the next sign-in.
                _ => on_restart.call(Some(t!("verify-email-verified"))),
            }
            Ok(())
        }
    });
    let address = email.clone();
    let mut resend = use_action(move || {
        let email = address.clone();
        async move {
            // The server's answer is the same sentence for every address: said here in the user's language.
            api::call(ResendVerification { email }).await?;
            resent.set(true);
            countdown();
            Ok::<_, CommandError>(())
        }
    });
    let error = verify.failure().or_else(|| resend.failure());
    let wrong_code = error.as_ref().is_some_and(|e| e.is(ErrorCode::InvalidCode));
    let left = wait();

    rsx! {
        section { class: "card narrow", aria_labelledby: "verify-title",
            h1 { id: "verify-title", {t!("verify-email-heading")} }
            p { id: "verify-account",
                {if sent { t!("verify-email-sent-before") } else { t!("verify-email-unverified-before") }}
                " "
                strong { "{email}" }
                {if sent { t!("verify-email-sent-after") } else { t!("verify-email-unverified-after") }}
            }
            if resent() {
                div { id: "verify-resent", class: "banner info", role: "status", {t!("verify-email-resent")} }
            }
            Form {
                id: "verify-form",
                busy: verify.pending(),
                onsubmit: move |_| { verify.call(); },
                label { r#for: "verify-code", {t!("verify-email-code")} }
                input {
                    id: "verify-code",
                    class: "code-input",
                    r#type: "text",
                    inputmode: "numeric",
                    autocomplete: "one-time-code",
                    maxlength: "9",
                    autofocus: true,
                    aria_describedby: "verify-hint",
                    value: "{code}",
                    oninput: move |e| code.set(e.value()),
                }
                p { id: "verify-hint", class: "hint", {t!("verify-email-hint")} }
                if let Some(e) = error {
                    ErrorBanner { error: e }
                }
                if wrong_code {
                    p { id: "verify-help", class: "hint bad", {t!("verify-email-help")} }
                }
                SubmitButton {
                    id: "verify-submit",
                    label: t!("verify-email-submit"),
                    busy_label: t!("verify-email-submitting"),
                    busy: verify.pending(),
                }
            }
            p { class: "switch",
                button {
                    id: "verify-resend",
                    r#type: "button",
                    class: "link",
                    disabled: left > 0 || resend.pending(),
                    onclick: move |_| {
                        verify.reset();
                        resend.call();
                    },
                    {if left > 0 { t!("verify-email-resend-in", seconds = left) } else { t!("verify-email-resend") }}
                }
                " · "
                button {
                    id: "verify-restart",
                    r#type: "button",
                    class: "link",
                    onclick: move |_| on_restart.call(None),
                    {t!("verify-email-start-over")}
                }
            }
        }
    }
}
