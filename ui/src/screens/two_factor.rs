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
use crate::i18n::errors::error_text;
use crate::state::CurrentUser;
use crate::t;

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

/// `value` trimmed, or the error `missing()` words when it is empty.
fn required(value: &str, missing: fn() -> String) -> Result<String, CommandError> {
    match value.trim() {
        "" => Err(CommandError::rejected(missing())),
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
                current.signed_out(Some(error_text(e)));
            }
        }
    });
    let status = me.read().clone();
    rsx! {
        div { id: "two-factor", class: "subsection",
            h3 { {t!("two-factor-heading")} }
            match (stage(), status) {
                (Stage::Enrolling(enrollment), _) => rsx! { Enroll { enrollment, stage } },
                (Stage::Codes { codes, just_enabled }, _) => rsx! {
                    RecoveryCodes { codes, just_enabled, on_done: move |_| { let mut stage = stage; stage.set(Stage::Status); me.restart(); } }
                },
                (Stage::Status, None) => rsx! {
                    div { id: "mfa-loading", class: "placeholder", role: "status",
                        div { class: "spinner" }
                        {t!("two-factor-loading")}
                    }
                },
                (Stage::Status, Some(Err(e))) => rsx! { ErrorBanner { error: e, on_retry: move |_| me.restart() } },
                (Stage::Status, Some(Ok(user))) if user.mfa_enabled => rsx! {
                    p { id: "mfa-status", class: "muted small", "data-on": "true",
                        span { class: "pill on", {t!("two-factor-on")} }
                        " "
                        {t!("two-factor-on-status")}
                        " "
                        strong { id: "codes-left", class: if user.recovery_codes_left <= 2 { "warn" } else { "" },
                            {t!("two-factor-codes-left", count = user.recovery_codes_left)}
                        }
                    }
                    Regenerate { stage }
                    TurnOff { on_off: move |_| me.restart() }
                },
                (Stage::Status, Some(Ok(_))) => rsx! {
                    p { id: "mfa-status", class: "muted small", "data-on": "false",
                        span { class: "pill", {t!("two-factor-off")} }
                        " "
                        {t!("two-factor-off-status")}
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
            let password = required(&typed, || t!("two-factor-setup-password-missing"))?;
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
            PasswordField {
                id: "totp-password",
                label: t!("account-password"),
                value: password,
                autocomplete: "current-password",
            }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            div { class: "row",
                SubmitButton {
                    id: "totp-setup",
                    label: t!("two-factor-set-up"),
                    busy_label: t!("two-factor-preparing"),
                    busy: submit.pending(),
                    class: "secondary",
                }
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
            let code = required(&typed, || t!("two-factor-enroll-code-missing"))?;
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
            p { class: "small", {t!("two-factor-scan")} }
            div { class: "enroll",
                div {
                    id: "totp-qr",
                    class: "qr",
                    role: "img",
                    aria_label: t!("two-factor-qr-label"),
                    dangerous_inner_html: "{enrollment.qr_svg}",
                }
                div {
                    p { class: "muted small", {t!("two-factor-key")} }
                    code { id: "totp-secret", class: "secret", "data-secret": "{enrollment.secret}", "{grouped(&enrollment.secret)}" }
                    p { class: "muted small", {t!("two-factor-key-details")} }
                }
            }
            label { r#for: "totp-code", {t!("two-factor-code-prompt")} }
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
            p { class: "hint", {t!("two-factor-enable-hint")} }
            div { class: "row",
                SubmitButton {
                    id: "totp-enable",
                    label: t!("two-factor-turn-on"),
                    busy_label: t!("two-factor-checking"),
                    busy: submit.pending(),
                }
                button {
                    id: "totp-cancel",
                    r#type: "button",
                    class: "secondary",
                    onclick: move |_| {
                        let mut stage = stage;
                        stage.set(Stage::Status);
                    },
                    {t!("two-factor-cancel")}
                }
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
                Ok(_) => Ok(t!("two-factor-copied")),
                Err(_) => Err(t!("two-factor-copy-failed")),
            }));
        });
    };
    let save_codes = codes.clone();
    let save = move |_| {
        let codes = save_codes.clone();
        spawn(async move {
            note.set(Some(match api::call(SaveRecoveryCodes { codes }).await {
                Ok(path) => Ok(t!("two-factor-saved-to", path = path)),
                Err(e) => Err(error_text(&e)),
            }));
        });
    };
    rsx! {
        if just_enabled {
            div { id: "mfa-enabled", class: "banner ok", role: "status", {t!("two-factor-enabled")} }
        }
        div { class: "banner info",
            p {
                strong { {t!("two-factor-save-codes")} }
                " "
                {t!("two-factor-save-codes-why")}
            }
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
            button { id: "copy-codes", r#type: "button", class: "secondary", onclick: copy, {t!("two-factor-copy")} }
            button { id: "save-codes", r#type: "button", class: "secondary", onclick: save,
                {t!("two-factor-save-to-file")}
            }
            button { id: "codes-done", r#type: "button", class: "primary", onclick: move |_| on_done.call(()),
                {t!("two-factor-codes-done")}
            }
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
            let password = required(&typed_password, || t!("two-factor-regenerate-password-missing"))?;
            let code = required(&typed_code, || t!("two-factor-code-missing"))?;
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
            h4 { {t!("two-factor-regenerate-heading")} }
            p { class: "muted small", {t!("two-factor-regenerate-hint")} }
            PasswordField {
                id: "regen-password",
                label: t!("account-password"),
                value: password,
                autocomplete: "current-password",
            }
            label { r#for: "regen-code", {t!("two-factor-code-label")} }
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
                SubmitButton {
                    id: "regen-codes",
                    label: t!("two-factor-regenerate"),
                    busy_label: t!("two-factor-making"),
                    busy: submit.pending(),
                    class: "secondary",
                }
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
            let password = required(&typed_password, || t!("two-factor-password-missing"))?;
            let code = required(&typed_code, || t!("two-factor-code-missing"))?;
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
            h4 { {t!("two-factor-turn-off-heading")} }
            PasswordField {
                id: "disable-password",
                label: t!("account-password"),
                value: password,
                autocomplete: "current-password",
            }
            label { r#for: "disable-code", {t!("two-factor-code-label")} }
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
                SubmitButton {
                    id: "totp-disable",
                    label: t!("two-factor-turn-off"),
                    busy_label: t!("two-factor-turning-off"),
                    busy: submit.pending(),
                    class: "secondary danger",
                }
            }
        }
    }
}
