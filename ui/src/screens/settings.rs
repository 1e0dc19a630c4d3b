use authdesk_contract::HealthResponse;
use dioxus::prelude::*;

use super::account::Account;
use crate::api::{self, ApiError, Backend};
use crate::components::ErrorBanner;
use crate::state::Auth;
use crate::Route;

#[component]
pub fn Settings() -> Element {
    let auth = use_context::<Auth>();
    let info = use_resource(api::app_info);
    let mut remote = use_signal(|| false);
    let mut url = use_signal(String::new);
    let mut loaded = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    let mut health = use_signal(|| None::<HealthResponse>);
    let mut testing = use_signal(|| false);
    let mut saving = use_signal(|| false);
    let mut saved = use_signal(|| false);

    // Fill the form once from the saved setting.
    use_effect(move || {
        if let Some(Ok(i)) = &*info.read() {
            if !*loaded.peek() {
                if let Backend::Remote { url: u } = &i.backend {
                    remote.set(true);
                    url.set(u.clone());
                }
                loaded.set(true);
            }
        }
    });

    let wanted =
        move || if remote() { Backend::Remote { url: url.peek().trim().to_owned() } } else { Backend::Embedded };

    let mut test = move || {
        let backend = wanted();
        testing.set(true);
        health.set(None);
        error.set(None);
        spawn(async move {
            let result = api::test_connection(&backend).await;
            testing.set(false);
            match result {
                Ok(h) => health.set(Some(h)),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let save = move |e: FormEvent| {
        e.prevent_default();
        let backend = wanted();
        let current = info.peek().as_ref().and_then(|r| r.as_ref().ok()).map(|i| i.backend.clone());
        saving.set(true);
        saved.set(false);
        error.set(None);
        spawn(async move {
            let result = api::set_settings(&backend).await;
            saving.set(false);
            match result {
                Ok(now) => {
                    let mut info = info;
                    info.restart();
                    saved.set(true);
                    if current.as_ref() != Some(&now) && auth.user.peek().is_some() {
                        auth.signed_out(Some(format!("Server changed to {}. Please sign in.", now.describe())));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let back = if auth.user.read().is_some() { Route::Dashboard {} } else { Route::SignIn {} };

    rsx! {
        section { class: "card", aria_labelledby: "settings-title",
            h1 { id: "settings-title", "Settings" }
            match &*info.read() {
                None => rsx! { div { id: "loading", class: "placeholder", role: "status", div { class: "spinner" } "Loading settings…" } },
                Some(Err(e)) => rsx! { ErrorBanner { error: e.clone() } },
                Some(Ok(_)) => rsx! {},
            }
            form { id: "settings-form", onsubmit: save, novalidate: true,
                fieldset {
                    legend { "Server" }
                    label { class: "choice",
                        input {
                            id: "backend-embedded",
                            r#type: "radio",
                            name: "backend",
                            checked: !remote(),
                            onchange: move |_| { remote.set(false); health.set(None); },
                        }
                        span {
                            strong { "Embedded" }
                            small { class: "muted", "The server runs inside this app; data stays on this computer." }
                        }
                    }
                    label { class: "choice",
                        input {
                            id: "backend-remote",
                            r#type: "radio",
                            name: "backend",
                            checked: remote(),
                            onchange: move |_| { remote.set(true); health.set(None); },
                        }
                        span {
                            strong { "Remote" }
                            small { class: "muted", "An authdesk server elsewhere (https://, or http:// on this computer)." }
                        }
                    }
                    label { r#for: "remote-url", class: if remote() { "" } else { "disabled" }, "Server URL" }
                    input {
                        id: "remote-url",
                        r#type: "url",
                        placeholder: "https://auth.example.com",
                        disabled: !remote(),
                        value: "{url}",
                        oninput: move |e| { url.set(e.value()); health.set(None); },
                    }
                }
                if let Some(e) = error.read().clone() {
                    ErrorBanner { error: e, on_retry: move |_| test() }
                }
                if let Some(h) = health.read().clone() {
                    div { id: "health", class: if h.status == "healthy" { "banner ok" } else { "banner error" }, role: "status",
                        "Connected: {h.status} · database {h.database} · server version {h.version}"
                    }
                }
                if saved() {
                    div { id: "saved", class: "banner ok", role: "status", "Saved." }
                }
                div { class: "row",
                    button { id: "test-connection", r#type: "button", class: "secondary", disabled: testing(), onclick: move |_| test(),
                        if testing() { "Testing…" } else { "Test connection" }
                    }
                    button { id: "save-settings", r#type: "submit", class: "primary", disabled: saving(),
                        if saving() { "Saving…" } else { "Save" }
                    }
                    Link { id: "back", class: "button-link", to: back, "Back" }
                }
            }
            if auth.user.read().is_some() {
                Account {}
            }
            section { class: "about", aria_labelledby: "about-title",
                h2 { id: "about-title", "About" }
                if let Some(Ok(i)) = &*info.read() {
                    dl {
                        dt { "Version" }
                        dd { id: "about-version", "{i.version}" }
                        dt { "Data folder" }
                        dd { id: "about-data-dir", code { "{i.data_dir}" } }
                        dt { "Current server" }
                        dd { id: "about-backend", "{i.backend.describe()}" }
                    }
                }
            }
        }
    }
}
