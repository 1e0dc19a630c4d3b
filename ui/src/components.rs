//! Pieces every screen uses: the frame around them, the error banner, the password field.

use authdesk_contract::password_checklist;
use dioxus::prelude::*;

use crate::api::ApiError;
use crate::state::Auth;
use crate::Route;

/// The window's frame: a header with the app name and the routes that make sense right now.
#[component]
pub fn Frame() -> Element {
    let auth = use_context::<Auth>();
    let signed_in = auth.user.read().is_some();
    rsx! {
        header { class: "topbar",
            div { class: "brand",
                img { src: "icon.png", alt: "", width: "28", height: "28" }
                span { "authdesk" }
            }
            nav { aria_label: "Main",
                if signed_in {
                    Link { id: "nav-dashboard", to: Route::Dashboard {}, active_class: "active", "Tasks" }
                } else {
                    Link { id: "nav-signin", to: Route::SignIn {}, active_class: "active", "Sign in" }
                }
                Link { id: "nav-settings", to: Route::Settings {}, active_class: "active", "Settings" }
            }
        }
        main { class: "content", Outlet::<Route> {} }
    }
}

/// A red banner with the error's sentence; for "unreachable", a Retry button.
#[component]
pub fn ErrorBanner(error: ApiError, on_retry: Option<EventHandler<()>>) -> Element {
    let when = error.retry_after.filter(|_| error.is("rate_limited"));
    rsx! {
        div { id: "error", class: "banner error", role: "alert",
            p { "{error.message}" }
            if let Some(secs) = when {
                p { id: "retry-after", class: "hint", "You can try again in {secs} s." }
            }
            if error.is("unreachable") {
                if let Some(retry) = on_retry {
                    button { id: "retry", r#type: "button", class: "secondary", onclick: move |_| retry.call(()), "Retry" }
                }
            }
        }
    }
}

/// A password input with a show/hide toggle.
#[component]
pub fn PasswordField(value: Signal<String>, autocomplete: &'static str, described_by: Option<&'static str>) -> Element {
    let mut value = value;
    let mut visible = use_signal(|| false);
    let kind = if visible() { "text" } else { "password" };
    rsx! {
        label { r#for: "password", "Password" }
        div { class: "password-row",
            input {
                id: "password",
                name: "password",
                r#type: kind,
                autocomplete,
                required: true,
                aria_describedby: described_by,
                value: "{value}",
                oninput: move |e| value.set(e.value()),
            }
            button {
                id: "toggle-password",
                r#type: "button",
                class: "ghost",
                aria_pressed: "{visible}",
                aria_label: if visible() { "Hide password" } else { "Show password" },
                onclick: move |_| visible.toggle(),
                if visible() { "Hide" } else { "Show" }
            }
        }
    }
}

/// The live list of password rules, each ticked as soon as `password` meets it. `id` names the
/// list and prefixes each rule's id (`<prefix>-<i>`).
#[component]
pub fn PasswordChecklist(password: Signal<String>, id: &'static str, rule_prefix: &'static str) -> Element {
    let checklist = password_checklist(&password.read());
    rsx! {
        ul { id, class: "checklist", aria_label: "Password requirements", aria_live: "polite",
            for (i, (rule, ok)) in checklist.into_iter().enumerate() {
                li {
                    key: "{i}",
                    id: "{rule_prefix}-{i}",
                    class: if ok { "met" } else { "unmet" },
                    "data-met": "{ok}",
                    span { class: "tick", aria_hidden: "true", if ok { "✓" } else { "○" } }
                    span { "{rule.label()}" }
                    span { class: "sr-only", if ok { " (met)" } else { " (not met)" } }
                }
            }
        }
    }
}
