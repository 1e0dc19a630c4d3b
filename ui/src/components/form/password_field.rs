use crate::i18n::errors::password_rule_text;
use crate::policy::password_checklist;
use crate::t;
use dioxus::prelude::*;

/// Where a [`PasswordField`] shows the password rules: the list's id, and the prefix of each
/// rule's id (`<rule_prefix>-<i>`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Checklist {
    pub id: &'static str,
    pub rule_prefix: &'static str,
}

/// A labelled password input with id `id`. With `reveal`, a Show/Hide button (`#toggle-<id>`)
/// next to it; with `checklist`, the live list of the password rules under it, each ticked as
/// soon as the password meets it (the server's own rules, from the contract).
#[component]
pub fn PasswordField(
    id: &'static str,
    label: String,
    value: Signal<String>,
    autocomplete: &'static str,
    #[props(default)] reveal: bool,
    checklist: Option<Checklist>,
) -> Element {
    let mut value = value;
    let mut visible = use_signal(|| false);
    let input = rsx! {
        input {
            id,
            name: id,
            r#type: if visible() { "text" } else { "password" },
            autocomplete,
            // Said "required" without the browser's own check (the form is `novalidate`), which
            // would have a screen reader call the empty field "invalid entry" before any typing.
            aria_required: "true",
            aria_describedby: checklist.map(|c| c.id),
            value: "{value}",
            oninput: move |e| value.set(e.value()),
        }
    };
    let (toggle_text, toggle_label) = if visible() {
        (t!("password-field-hide"), t!("password-field-hide-label"))
    } else {
        (t!("password-field-show"), t!("password-field-show-label"))
    };
    rsx! {
        label { r#for: id, "{label}" }
        if reveal {
            div { class: "password-row",
                {input}
                button {
                    id: "toggle-{id}",
                    r#type: "button",
                    class: "ghost",
                    aria_pressed: "{visible}",
                    aria_label: toggle_label,
                    onclick: move |_| visible.toggle(),
                    {toggle_text}
                }
            }
        } else {
            {input}
        }
        if let Some(checklist) = checklist {
            PasswordChecklist { password: value, checklist }
        }
    }
}

#[component]
fn PasswordChecklist(password: Signal<String>, checklist: Checklist) -> Element {
    let rules = password_checklist(&password.read());
    rsx! {
        ul { id: checklist.id, class: "checklist", aria_label: t!("password-checklist-label"), aria_live: "polite",
            for (i, (rule, ok)) in rules.into_iter().enumerate() {
                li {
                    key: "{i}",
                    id: "{checklist.rule_prefix}-{i}",
                    class: if ok { "met" } else { "unmet" },
                    "data-met": "{ok}",
                    span { class: "tick", aria_hidden: "true", if ok { "✓" } else { "○" } }
                    span { {password_rule_text(rule)} }
                    span { class: "sr-only",
                        " "
                        {if ok { t!("password-checklist-met") } else { t!("password-checklist-not-met") }}
                    }
                }
            }
        }
    }
}
