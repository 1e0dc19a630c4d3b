//! Settings → Account → Two-factor: set TOTP up (QR code and key, then a first code), the recovery
//! codes shown once with copy and save, new recovery codes, turning it off.

use authdesk_contract::desktop::commands::{
    DisableTotp, EnableTotp, Me, RegenerateRecoveryCodes, SaveRecoveryCodes, SetUpTotp,
};
use authdesk_contract::desktop::{CommandError, ErrorKind, TotpEnrollment};
use dioxus::prelude::*;
use wasm_bindgen::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{Form, PasswordField, SubmitButton};
use crate::components::ErrorBanner;
use crate::state::CurrentUser;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    async fn write_text(text: &str) -> Result<JsValue, JsValue>;
}

/// Where the section is.
#[derive(Clone, PartialEq)]
enum Stage {
    /// Showing the status and the forms that fit it.
    Status,
    /// A secret to add to the app, waiting for its first code.
    Enrolling(TotpEnrollment),
    /// Recovery codes, shown this once.
    Codes { codes: Vec<String>, just_enabled: bool },
}

fn required(value: &str, what: &str) -> Result<String, CommandError> {
    match value.trim() {
        "" => Err(CommandError::rejected(format!("Enter {what}"))),
        v => Ok(v.to_owned()),
    }
}

#[component]
pub fn TwoFactor() -> Element {
    let current = use_context::<CurrentUser>();
    let mut me = use_answer(Me);
    let stage = use_signal(|| Stage::Status);
    // A 401 while reading the status: back to sign in (outside render).
    use_effect(move || {
        if let Some(Err(e)) = &*me.read() {
            if e.kind == ErrorKind::Unauthorized {
                current.signed_out(Some(e.message.clone()));
            }
        }
    });
    let status = me.read().clone();
    rsx! {
        div { id: "two-factor", class: "subsection",
            h3 { "Two-factor authentication" }
            match (stage(), status) {
                (Stage::Enrolling(enrollment), _) => rsx! { Enroll { enrollment, stage } },
                (Stage::Codes { codes, just_enabled }, _) => rsx! {
                    RecoveryCodes { codes, just_enabled, on_done: move |_| { let mut stage = stage; stage.set(Stage::Status); me.restart(); } }
                },
                (Stage::Status, None) => rsx! {
                    div { id: "mfa-loading", class: "placeholder", role: "status", div { class: "spinner" } "Loading…" }
                },
                (Stage::Status, Some(Err(e))) => rsx! { ErrorBanner { error: e, on_retry: move |_| me.restart() } },
                (Stage::Status, Some(Ok(user))) if user.mfa_enabled => rsx! {
                    p { id: "mfa-status", class: "muted small",
                        span { class: "pill on", "On" }
                        " Sign-in asks for a code from your authenticator app. "
                        strong { id: "codes-left", class: if user.recovery_codes_left <= 2 { "warn" } else { "" },
                            "{user.recovery_codes_left} recovery codes left."
                        }
                    }
                    Regenerate { stage }
                    TurnOff { on_off: move |_| me.restart() }
                },
                (Stage::Status, Some(Ok(_))) => rsx! {
                    p { id: "mfa-status", class: "muted small",
                        span { class: "pill", "Off" }
                        " Turn it on to ask for a code from an authenticator app (such as Aegis, Google Authenticator or 1Password) at every sign-in."
                    }
                    SetUp { stage }
                },
            }
        }
    }
}

#[component]
fn SetUp(stage: Signal<Stage>) -> Element {
    let current = use_context::<CurrentUser>();
    let password = use_signal(String::new);
    let mut submit = use_action(move || {
        let typed = password.peek().clone();
        async move {
            let password = required(&typed, "your password to set up two-factor authentication")?;
            let enrollment = api::call(SetUpTotp { password }).await.map_err(|e| current.check(e))?;
            let mut stage = stage;
            stage.set(Stage::Enrolling(enrollment));
            Ok::<_, CommandError>(())
        }
    });
    rsx! {
        Form {
            id: "totp-setup-form",
            busy: submit.pending(),
            onsubmit: move |_| { submit.call(); },
            PasswordField { id: "totp-password", label: "Password", value: password, autocomplete: "current-password" }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            div { class: "row",
                SubmitButton { id: "totp-setup", label: "Set up two-factor", busy_label: "Preparing…", busy: submit.pending(), class: "secondary" }
            }
        }
    }
}

/// The key in groups of four, as authenticator apps show and take it.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[component]
fn Enroll(enrollment: TotpEnrollment, stage: Signal<Stage>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut code = use_signal(String::new);
    let mut submit = use_action(move || {
        let typed = code.peek().clone();
        async move {
            let code = required(&typed, "the 6-digit code your app shows")?;
            let codes = api::call(EnableTotp { code }).await.map_err(|e| current.check(e))?;
            let mut stage = stage;
            stage.set(Stage::Codes { codes, just_enabled: true });
            Ok::<_, CommandError>(())
        }
    });
    rsx! {
        Form {
            id: "totp-enable-form",
            busy: submit.pending(),
            onsubmit: move |_| { submit.call(); },
            p { class: "small", "1. Scan this QR code with your authenticator app, or type the key into it." }
            div { class: "enroll",
                div { id: "totp-qr", class: "qr", role: "img", aria_label: "QR code of the two-factor key", dangerous_inner_html: "{enrollment.qr_svg}" }
                div {
                    p { class: "muted small", "Key" }
                    code { id: "totp-secret", class: "secret", "data-secret": "{enrollment.secret}", "{grouped(&enrollment.secret)}" }
                    p { class: "muted small", "Account: authdesk · time-based · 6 digits" }
                }
            }
            label { r#for: "totp-code", "2. Enter the 6-digit code the app shows" }
            input {
                id: "totp-code",
                class: "code-input",
                r#type: "text",
                inputmode: "numeric",
                autocomplete: "one-time-code",
                maxlength: "6",
                value: "{code}",
                oninput: move |e| code.set(e.value()),
            }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            p { class: "hint", "Turning it on signs out your other devices; they sign in again with a code." }
            div { class: "row",
                SubmitButton { id: "totp-enable", label: "Turn on", busy_label: "Checking…", busy: submit.pending() }
                button { id: "totp-cancel", r#type: "button", class: "secondary", onclick: move |_| { let mut stage = stage; stage.set(Stage::Status); }, "Cancel" }
            }
        }
    }
}

#[component]
fn RecoveryCodes(codes: Vec<String>, just_enabled: bool, on_done: EventHandler<()>) -> Element {
    let text = codes.join("\n");
    let mut note = use_signal(|| None::<Result<String, String>>);
    let copy_text = text.clone();
    let copy = move |_| {
        let text = copy_text.clone();
        spawn(async move {
            note.set(Some(match write_text(&text).await {
                Ok(_) => Ok("Copied to the clipboard.".into()),
                Err(_) => Err("Could not copy: select the codes and copy them by hand.".into()),
            }));
        });
    };
    let save_codes = codes.clone();
    let save = move |_| {
        let codes = save_codes.clone();
        spawn(async move {
            note.set(Some(match api::call(SaveRecoveryCodes { codes }).await {
                Ok(path) => Ok(format!("Saved to {path}")),
                Err(e) => Err(e.message),
            }));
        });
    };
    rsx! {
        if just_enabled {
            div { id: "mfa-enabled", class: "banner ok", role: "status", "Two-factor authentication is on. Your other devices were signed out." }
        }
        div { class: "banner info",
            p { strong { "Save these recovery codes now." } " Each signs you in once if you lose your authenticator app. They are not shown again." }
        }
        ul { id: "recovery-codes", class: "recovery-codes",
            for c in codes.iter() {
                li { key: "{c}", code { "{c}" } }
            }
        }
        match note() {
            Some(Ok(message)) => rsx! { p { id: "codes-note", class: "hint", role: "status", "{message}" } },
            Some(Err(message)) => rsx! { p { id: "codes-note", class: "hint bad", role: "alert", "{message}" } },
            None => rsx! {},
        }
        div { class: "row",
            button { id: "copy-codes", r#type: "button", class: "secondary", onclick: copy, "Copy" }
            button { id: "save-codes", r#type: "button", class: "secondary", onclick: save, "Save to file" }
            button { id: "codes-done", r#type: "button", class: "primary", onclick: move |_| on_done.call(()), "I have saved them" }
        }
    }
}

#[component]
fn Regenerate(stage: Signal<Stage>) -> Element {
    let current = use_context::<CurrentUser>();
    let password = use_signal(String::new);
    let mut code = use_signal(String::new);
    let mut submit = use_action(move || {
        let (typed_password, typed_code) = (password.peek().clone(), code.peek().clone());
        async move {
            let password = required(&typed_password, "your password to make new recovery codes")?;
            let code = required(&typed_code, "a code from your app or a recovery code")?;
            let codes = api::call(RegenerateRecoveryCodes { password, code }).await.map_err(|e| current.check(e))?;
            let mut stage = stage;
            stage.set(Stage::Codes { codes, just_enabled: false });
            Ok::<_, CommandError>(())
        }
    });
    rsx! {
        Form {
            id: "regenerate-form",
            busy: submit.pending(),
            onsubmit: move |_| { submit.call(); },
            h4 { "New recovery codes" }
            p { class: "muted small", "Makes ten new codes; the old ones stop working." }
            PasswordField { id: "regen-password", label: "Password", value: password, autocomplete: "current-password" }
            label { r#for: "regen-code", "Code from your app, or a recovery code" }
            input {
                id: "regen-code",
                r#type: "text",
                autocomplete: "one-time-code",
                value: "{code}",
                oninput: move |e| code.set(e.value()),
            }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            div { class: "row",
                SubmitButton { id: "regen-codes", label: "Make new codes", busy_label: "Making…", busy: submit.pending(), class: "secondary" }
            }
        }
    }
}

#[component]
fn TurnOff(on_off: EventHandler<()>) -> Element {
    let current = use_context::<CurrentUser>();
    let password = use_signal(String::new);
    let mut code = use_signal(String::new);
    let mut submit = use_action(move || {
        let (typed_password, typed_code) = (password.peek().clone(), code.peek().clone());
        async move {
            let password = required(&typed_password, "your password")?;
            let code = required(&typed_code, "a code from your app or a recovery code")?;
            let done = api::call(DisableTotp { password, code }).await.map_err(|e| current.check(e))?;
            on_off.call(());
            Ok::<_, CommandError>(done)
        }
    });
    rsx! {
        Form {
            id: "disable-form",
            busy: submit.pending(),
            onsubmit: move |_| { submit.call(); },
            h4 { "Turn off" }
            PasswordField { id: "disable-password", label: "Password", value: password, autocomplete: "current-password" }
            label { r#for: "disable-code", "Code from your app, or a recovery code" }
            input {
                id: "disable-code",
                r#type: "text",
                autocomplete: "one-time-code",
                value: "{code}",
                oninput: move |e| code.set(e.value()),
            }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            div { class: "row",
                SubmitButton { id: "totp-disable", label: "Turn off two-factor", busy_label: "Turning off…", busy: submit.pending(), class: "secondary danger" }
            }
        }
    }
}
