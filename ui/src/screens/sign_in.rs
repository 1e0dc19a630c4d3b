//! Sign in: the password, then, for an account with a second factor, a code from the
//! authenticator app (or a recovery code) on the same screen; for an account whose address waits
//! for verification, the mailed code.

use authdesk_contract::desktop::commands::{GetSettings, Login, VerifySecondFactor};
use authdesk_contract::desktop::{CommandError, ErrorKind, ServerChoice, SignInStep};
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{EmailField, Form, PasswordField, SubmitButton};
use crate::components::{use_screen_for, use_screen_title, ErrorBanner, WaitingChangesNotice};
use crate::i18n::errors::error_text;
use crate::i18n::words::server_name;
use crate::state::CurrentUser;
use crate::{t, Route};

use super::sso::SsoSignIn;
use super::verify_email::VerifyEmailStep;

#[component]
pub fn SignIn() -> Element {
    use_screen_title(|| t!("sign-in-title"));
    let current = use_context::<CurrentUser>();
    // Already signed in (restored session): straight to the dashboard.
    use_screen_for(false);
    let email = use_signal(String::new);
    let mut password = use_signal(String::new);
    // The address a sign-in waits for a code for (the shell keeps its challenge).
    let mut waiting = use_signal(|| None::<String>);
    // The address a sign-in found unverified.
    let mut verifying = use_signal(|| None::<String>);
    let server = use_answer(GetSettings);
    let mut submit = use_action(move || {
        let mut boot_error = current.boot_error;
        boot_error.set(None);
        let login = Login { email: email.peek().clone(), password: password.peek().clone() };
        async move {
            match api::call(login).await? {
                SignInStep::SignedIn { user } => current.signed_in(user),
                SignInStep::SecondFactor { email } => {
                    password.set(String::new());
                    waiting.set(Some(email));
                }
                SignInStep::VerifyEmail { email } => {
                    password.set(String::new());
                    verifying.set(Some(email));
                }
            }
            Ok::<_, CommandError>(())
        }
    });

    let (server, remote) = match &*server.read() {
        Some(Ok(s)) => (server_name(s), matches!(s, ServerChoice::Remote { .. })),
        Some(Err(_)) => (t!("sign-in-server-unknown"), false),
        None => ("…".into(), false),
    };

    if let Some(unverified) = verifying() {
        return rsx! {
            VerifyEmailStep {
                email: unverified,
                sent: false,
                on_restart: move |notice: Option<String>| {
                    let mut notice_slot = current.notice;
                    notice_slot.set(notice);
                    submit.reset();
                    verifying.set(None);
                },
            }
        };
    }

    if let Some(signing_in) = waiting() {
        return rsx! {
            SecondFactorStep {
                email: signing_in,
                on_restart: move |notice: Option<String>| {
                    let mut notice_slot = current.notice;
                    notice_slot.set(notice);
                    submit.reset();
                    waiting.set(None);
                },
            }
        };
    }

    rsx! {
        section { class: "card narrow", aria_labelledby: "signin-title",
            h1 { id: "signin-title", {t!("sign-in-title")} }
            p { class: "muted", id: "server-line",
                {t!("sign-in-server")}
                " "
                span { id: "server", class: if remote { "pill remote" } else { "pill" }, "{server}" }
            }
            if let Some(notice) = current.notice.read().clone() {
                div { id: "notice", class: "banner info", role: "status", "{notice}" }
            }
            if remote {
                WaitingChangesNotice {}
                SsoSignIn {
                    on_step: move |step: SignInStep| match step {
                        SignInStep::SignedIn { user } => current.signed_in(user),
                        SignInStep::SecondFactor { email } => waiting.set(Some(email)),
                        SignInStep::VerifyEmail { email } => verifying.set(Some(email)),
                    },
                }
            }
            // The stored session could not be checked (e.g. the remote server is down).
            if let Some(e) = current.boot_error.read().clone() {
                ErrorBanner { error: e, on_retry: move |_| { spawn(current.restore()); } }
            } else if let Some(e) = submit.failure() {
                ErrorBanner { error: e, on_retry: move |_| { submit.call(); } }
            }
            Form {
                id: "signin-form",
                busy: submit.pending(),
                onsubmit: move |_| { submit.call(); },
                EmailField { value: email }
                PasswordField {
                    id: "password",
                    label: t!("sign-in-password"),
                    value: password,
                    autocomplete: "current-password",
                    reveal: true,
                }
                SubmitButton {
                    id: "submit",
                    label: t!("sign-in-submit"),
                    busy_label: t!("sign-in-submitting"),
                    busy: submit.pending(),
                }
            }
            p { class: "switch",
                Link { id: "to-forgot", to: Route::ForgotPassword {}, {t!("sign-in-forgot-password")} }
                " · "
                {t!("sign-in-no-account")}
                " "
                Link { id: "to-signup", to: Route::SignUp {}, {t!("sign-in-create-account")} }
            }
        }
    }
}

/// The second step: a 6-digit code, or a recovery code. A wrong code can be tried again; an
/// expired sign-in goes back to the password (`on_restart`, with why).
#[component]
fn SecondFactorStep(email: String, on_restart: EventHandler<Option<String>>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut recovery = use_signal(|| false);
    let mut code = use_signal(String::new);
    let mut verify = use_action(move || {
        let (typed, recovery) = (code.peek().trim().to_owned(), *recovery.peek());
        async move {
            if typed.is_empty() {
                let missing = if recovery { t!("sign-in-recovery-code-missing") } else { t!("sign-in-code-missing") };
                return Err(CommandError::rejected(missing));
            }
            match api::call(VerifySecondFactor { code: typed, recovery }).await {
                Ok(user) => {
                    current.signed_in(user);
                    Ok(())
                }
                Err(e) if e.kind == ErrorKind::Unauthorized => {
                    on_restart.call(Some(error_text(&e)));
                    Err(e)
                }
                Err(e) => {
                    code.set(String::new());
                    Err(e)
                }
            }
        }
    });
    let error = verify.failure();
    let wrong_code = error.as_ref().is_some_and(|e| e.kind == ErrorKind::Rejected && e.status.is_some());

    rsx! {
        section { class: "card narrow", aria_labelledby: "code-title",
            h1 { id: "code-title", {t!("sign-in-code-title")} }
            p { class: "muted", id: "code-account",
                {t!("sign-in-code-account-before")}
                " "
                strong { "{email}" }
                {t!("sign-in-code-account-after")}
            }
            Form {
                id: "code-form",
                busy: verify.pending(),
                onsubmit: move |_| { verify.call(); },
                if recovery() {
                    label { r#for: "recovery-code", {t!("sign-in-recovery-code")} }
                    input {
                        id: "recovery-code",
                        r#type: "text",
                        autocomplete: "off",
                        spellcheck: "false",
                        autofocus: true,
                        placeholder: "abcde-fghjk",
                        aria_describedby: "code-hint",
                        value: "{code}",
                        oninput: move |e| code.set(e.value()),
                    }
                    p { id: "code-hint", class: "hint", {t!("sign-in-recovery-code-hint")} }
                } else {
                    label { r#for: "code", {t!("sign-in-code")} }
                    input {
                        id: "code",
                        class: "code-input",
                        r#type: "text",
                        inputmode: "numeric",
                        autocomplete: "one-time-code",
                        maxlength: "6",
                        autofocus: true,
                        aria_describedby: "code-hint",
                        value: "{code}",
                        oninput: move |e| code.set(e.value()),
                    }
                    p { id: "code-hint", class: "hint", {t!("sign-in-code-hint")} }
                }
                if let Some(e) = error {
                    ErrorBanner { error: e }
                }
                if wrong_code && !recovery() {
                    p { id: "code-help", class: "hint bad", {t!("sign-in-code-help")} }
                }
                SubmitButton {
                    id: "verify",
                    label: t!("sign-in-code-submit"),
                    busy_label: t!("sign-in-code-submitting"),
                    busy: verify.pending(),
                }
            }
            p { class: "switch",
                button {
                    id: "toggle-recovery",
                    r#type: "button",
                    class: "link",
                    onclick: move |_| {
                        recovery.toggle();
                        code.set(String::new());
                        verify.reset();
                    },
                    {if recovery() { t!("sign-in-use-app") } else { t!("sign-in-use-recovery-code") }}
                }
                " · "
                button {
                    id: "restart-sign-in",
                    r#type: "button",
                    class: "link",
                    onclick: move |_| on_restart.call(None),
                    {t!("sign-in-start-over")}
                }
            }
        }
    }
}
