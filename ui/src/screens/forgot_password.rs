//! Forgot password: ask the server to mail a code, then set a new password with it. The app's own
//! (embedded) server sends no mail: the screen says how to get a code on this computer instead.

use authdesk_contract::desktop::commands::{ConfirmPasswordReset, GetAppInfo, RequestPasswordReset};
use authdesk_contract::desktop::CommandError;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{Checklist, EmailField, Form, PasswordField, SubmitButton};
use crate::components::{use_screen_for, use_screen_title, ErrorBanner};
use crate::i18n::errors::{email_error_text, password_error_text};
use crate::policy::{check_password, validate_email};
use crate::state::CurrentUser;
use crate::{t, Route};

#[component]
pub fn ForgotPassword() -> Element {
    use_screen_title(|| t!("forgot-password-title"));
    use_screen_for(false);
    let info = use_answer(GetAppInfo);
    let email = use_signal(String::new);
    // Whether the code form shows: after a code was sent, or at once for the embedded server.
    let mut have_code = use_signal(|| false);
    let mut request = use_action(move || {
        let typed = email.peek().trim().to_owned();
        async move {
            validate_email(&typed).map_err(|e| CommandError::rejected(email_error_text(e)))?;
            // The server's answer is the same sentence for every address: said here in the user's language.
            api::call(RequestPasswordReset { email: typed }).await?;
            have_code.set(true);
            Ok::<_, CommandError>(())
        }
    });
    let sent = request.succeeded();
    let embedded_database = match &*info.read() {
        Some(Ok(info)) => info.embedded_database.clone(),
        _ => None,
    };

    rsx! {
        section { class: "card narrow", aria_labelledby: "forgot-title",
            h1 { id: "forgot-title", {t!("forgot-password-heading")} }
            match (&*info.read(), embedded_database) {
                (None, _) => rsx! {
                    div { id: "forgot-loading", class: "placeholder", role: "status",
                        div { class: "spinner" }
                        {t!("forgot-password-loading")}
                    }
                },
                (Some(Err(e)), _) => rsx! { ErrorBanner { error: e.clone() } },
                (Some(Ok(_)), Some(database)) => rsx! {
                    EmbeddedHelp { email, database }
                    ResetForm { email }
                },
                (Some(Ok(_)), None) => rsx! {
                    if have_code() {
                        if sent {
                            div { id: "code-sent", class: "banner ok", role: "status",
                                p { {t!("forgot-password-code-sent")} }
                                p { {t!("forgot-password-check-inbox")} }
                            }
                        }
                        ResetForm { email }
                    } else {
                        p { class: "muted", {t!("forgot-password-intro")} }
                        Form {
                            id: "request-form",
                            busy: request.pending(),
                            onsubmit: move |_| { request.call(); },
                            EmailField { value: email }
                            if let Some(e) = request.failure() {
                                ErrorBanner { error: e, on_retry: move |_| { request.call(); } }
                            }
                            SubmitButton {
                                id: "send-code",
                                label: t!("forgot-password-send-code"),
                                busy_label: t!("forgot-password-sending"),
                                busy: request.pending(),
                            }
                        }
                        p { class: "switch",
                            button {
                                id: "have-code",
                                r#type: "button",
                                class: "link",
                                onclick: move |_| have_code.set(true),
                                {t!("forgot-password-have-code")}
                            }
                        }
                    }
                },
            }
            p { class: "switch",
                Link { id: "back-to-signin", to: Route::SignIn {}, {t!("forgot-password-back")} }
            }
        }
    }
}

/// The embedded server has no mail: whoever can use this computer makes a code with the server's
/// admin command on the app's own database.
#[component]
fn EmbeddedHelp(email: Signal<String>, database: String) -> Element {
    let shown = email.read().trim().to_owned();
    let who = if shown.is_empty() { "you@example.com".to_owned() } else { shown };
    rsx! {
        div { id: "embedded-help", class: "banner info",
            p { {t!("forgot-password-embedded")} }
            pre { id: "reset-command", class: "command",
                code { "authdesk-server admin reset-code {who} --database-url \"sqlite:{database}\"" }
            }
            p { class: "hint",
                {t!("forgot-password-embedded-source-before")}
                " "
                code { "cargo run -p authdesk-server -- admin reset-code …" }
                {t!("forgot-password-embedded-source-after")}
            }
        }
    }
}

/// The code and the new password (with the same live checklist as sign-up).
#[component]
fn ResetForm(email: Signal<String>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut code = use_signal(String::new);
    let new_password = use_signal(String::new);
    let mut confirm = use_action(move || {
        let (typed_email, typed_code, wanted) =
            (email.peek().trim().to_owned(), code.peek().trim().to_owned(), new_password.peek().clone());
        async move {
            validate_email(&typed_email).map_err(|e| CommandError::rejected(email_error_text(e)))?;
            if typed_code.is_empty() {
                return Err(CommandError::rejected(t!("forgot-password-code-missing")));
            }
            if let Some(rule) = check_password(&wanted).first() {
                return Err(CommandError::rejected(password_error_text(*rule)));
            }
            // The server answers one fixed sentence: said here in the user's language.
            api::call(ConfirmPasswordReset { email: typed_email, code: typed_code, new_password: wanted }).await?;
            current.signed_out(Some(t!("forgot-password-done")));
            Ok(())
        }
    });
    rsx! {
        Form {
            id: "reset-form",
            busy: confirm.pending(),
            onsubmit: move |_| { confirm.call(); },
            EmailField { value: email }
            label { r#for: "reset-code", {t!("forgot-password-reset-code")} }
            input {
                id: "reset-code",
                class: "code-input",
                r#type: "text",
                inputmode: "numeric",
                autocomplete: "one-time-code",
                maxlength: "9",
                placeholder: "12345678",
                value: "{code}",
                oninput: move |e| code.set(e.value()),
            }
            PasswordField {
                id: "reset-password",
                label: t!("forgot-password-new-password"),
                value: new_password,
                autocomplete: "new-password",
                reveal: true,
                checklist: Checklist { id: "reset-checklist", rule_prefix: "reset-rule" },
            }
            if let Some(e) = confirm.failure() {
                ErrorBanner { error: e, on_retry: move |_| { confirm.call(); } }
            }
            SubmitButton {
                id: "reset-submit",
                label: t!("forgot-password-submit"),
                busy_label: t!("forgot-password-submitting"),
                busy: confirm.pending(),
            }
        }
    }
}
