use authdesk_contract::desktop::commands::{GetAppInfo, SetSettings, TestConnection};
use authdesk_contract::desktop::{CommandError, ServerChoice};
use dioxus::prelude::*;

use super::account::Account;
use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{Form, SubmitButton};
use crate::components::{use_screen_title, ErrorBanner};
use crate::state::CurrentUser;
use crate::Route;

#[component]
pub fn Settings() -> Element {
    use_screen_title("Settings");
    let current = use_context::<CurrentUser>();
    let mut info = use_answer(GetAppInfo);
    let mut remote = use_signal(|| false);
    let mut url = use_signal(String::new);
    let mut loaded = use_signal(|| false);

    // Fill the form once from the saved setting.
    use_effect(move || {
        if let Some(Ok(i)) = &*info.read() {
            if !*loaded.peek() {
                if let ServerChoice::Remote { url: u } = &i.server {
                    remote.set(true);
                    url.set(u.clone());
                }
                loaded.set(true);
            }
        }
    });

    let wanted = move || {
        if remote() {
            ServerChoice::Remote { url: url.peek().trim().to_owned() }
        } else {
            ServerChoice::Embedded
        }
    };

    let mut test = use_action(move |server: ServerChoice| api::call(TestConnection { server: Some(server) }));
    let mut save = use_action(move |server: ServerChoice| async move {
        let before = info.peek().as_ref().and_then(|r| r.as_ref().ok()).map(|i| i.server.clone());
        let saved = api::call(SetSettings { server }).await?;
        info.restart();
        if before.as_ref() != Some(&saved.server) && current.user.peek().is_some() {
            // Switching signed out of the old server; say so if that server did not end the session.
            let then = saved.signed_out.and_then(|out| out.warning()).unwrap_or("Please sign in.");
            current.signed_out(Some(format!("Server changed to {}. {then}", saved.server.describe())));
        }
        Ok::<_, CommandError>(saved.server)
    });
    // One error line: whichever of test and save failed last.
    let mut run_test = move || {
        save.forget_failure();
        test.call_with(wanted());
    };
    let mut changed = move || test.forget_success();
    let health = test.value();
    let error = save.failure().or_else(|| test.failure());

    let back = if current.user.read().is_some() { Route::Dashboard {} } else { Route::SignIn {} };

    rsx! {
        section { class: "card", aria_labelledby: "settings-title",
            h1 { id: "settings-title", "Settings" }
            match &*info.read() {
                None => rsx! { div { id: "loading", class: "placeholder", role: "status", div { class: "spinner" } "Loading settings…" } },
                Some(Err(e)) => rsx! { ErrorBanner { error: e.clone() } },
                Some(Ok(_)) => rsx! {},
            }
            Form {
                id: "settings-form",
                busy: save.pending(),
                onsubmit: move |_| {
                    test.forget_failure();
                    save.call_with(wanted());
                },
                fieldset {
                    legend { "Server" }
                    label { class: "choice",
                        input {
                            id: "backend-embedded",
                            r#type: "radio",
                            name: "server",
                            checked: !remote(),
                            onchange: move |_| { remote.set(false); changed(); },
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
                            name: "server",
                            checked: remote(),
                            onchange: move |_| { remote.set(true); changed(); },
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
                        oninput: move |e| { url.set(e.value()); changed(); },
                    }
                }
                if let Some(e) = error {
                    ErrorBanner { error: e, on_retry: move |_| run_test() }
                }
                if let Some(h) = health {
                    div { id: "health", class: if h.status == "healthy" { "banner ok" } else { "banner error" }, role: "status",
                        "Connected: {h.status} · database {h.database} · server version {h.version}"
                    }
                }
                if save.succeeded() {
                    div { id: "saved", class: "banner ok", role: "status", "Saved." }
                }
                div { class: "row",
                    button { id: "test-connection", r#type: "button", class: "secondary", disabled: test.pending(), onclick: move |_| run_test(),
                        if test.pending() { "Testing…" } else { "Test connection" }
                    }
                    SubmitButton { id: "save-settings", label: "Save", busy_label: "Saving…", busy: save.pending() }
                    Link { id: "back", class: "button-link", to: back, "Back" }
                }
            }
            if current.user.read().is_some() {
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
                        dd { id: "about-backend", "{i.server.describe()}" }
                    }
                }
            }
        }
    }
}
