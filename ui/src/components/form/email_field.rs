use crate::i18n::errors::email_error_text;
use crate::policy::validate_email;
use crate::t;
use dioxus::prelude::*;

/// The email input (`#email`). With `hint`, a line under it (`#email-hint`) says, as the address
/// is typed, what the server would find wrong with it.
#[component]
pub fn EmailField(value: Signal<String>, #[props(default)] hint: bool) -> Element {
    let mut value = value;
    let problem = {
        let email = value.read();
        if !hint || email.trim().is_empty() {
            None
        } else {
            validate_email(&email).err().map(email_error_text)
        }
    };
    rsx! {
        label { r#for: "email", {t!("email-field-label")} }
        input {
            id: "email",
            name: "email",
            r#type: "email",
            autocomplete: "email",
            // Said "required" without the browser's own check (the form is `novalidate`), which
            // would have a screen reader call the empty field "invalid entry" before any typing.
            aria_required: "true",
            autofocus: true,
            aria_describedby: hint.then_some("email-hint"),
            value: "{value}",
            oninput: move |e| value.set(e.value()),
        }
        if hint {
            p { id: "email-hint", class: if problem.is_some() { "hint bad" } else { "hint" }, aria_live: "polite",
                {match &problem {
                    Some(problem) => t!("email-field-problem", problem = problem.clone()),
                    None => t!("email-field-hint"),
                }}
            }
        }
    }
}
