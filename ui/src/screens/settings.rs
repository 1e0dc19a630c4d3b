use authdesk_contract::desktop::commands::{GetAppInfo, SetLanguage, SetSettings, TestConnection};
use authdesk_contract::desktop::{CommandError, ServerChoice};
use dioxus::prelude::*;

use super::account::Account;
use crate::api;
use crate::components::action::use_action;
use crate::components::announcer::use_announcer;
use crate::components::answer::use_answer;
use crate::components::form::{Form, SubmitButton};
use crate::components::{use_screen_title, ErrorBanner};
use crate::i18n::words::{server_name, signed_out_warning};
use crate::i18n::{set_language, Language};
use crate::state::CurrentUser;
use crate::t;
use crate::Route;

#[component]
pub fn Settings() -> Element {
    use_screen_title(|| t!("settings-title"));
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
            let server = server_name(&saved.server);
            let notice = match saved.signed_out.as_ref().and_then(signed_out_warning) {
                Some(warning) => t!("settings-server-changed-warning", server = server, warning = warning),
                None => t!("settings-server-changed", server = server),
            };
            current.signed_out(Some(notice));
        }
        Ok::<_, CommandError>(saved.server)
    });
    // The language applies at once: the shell keeps the choice and says the language it speaks now.
    let announcer = use_announcer();
    let mut choose_language = use_action(move |language: Option<String>| async move {
        let spoken = api::call(SetLanguage { language }).await?;
        set_language(Language::from_tag(&spoken).unwrap_or_default()).await;
        info.restart();
        announcer.say(t!("settings-language-changed"));
        Ok::<_, CommandError>(())
    });
    let language_choice = match &*info.read() {
        Some(Ok(i)) => i.language_choice.clone().unwrap_or_default(),
        _ => String::new(),
    };
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
            h1 { id: "settings-title", {t!("settings-title")} }
            match &*info.read() {
                None => rsx! {
                    div { id: "loading", class: "placeholder", role: "status",
                        div { class: "spinner" }
                        {t!("settings-loading")}
                    }
                },
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
                    legend { {t!("settings-server-legend")} }
                    label { class: "choice",
                        input {
                            id: "backend-embedded",
                            r#type: "radio",
                            name: "server",
                            checked: !remote(),
                            onchange: move |_| { remote.set(false); changed(); },
                        }
                        span {
                            strong { {t!("settings-embedded")} }
                            small { class: "muted", {t!("settings-embedded-hint")} }
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
                            strong { {t!("settings-remote")} }
                            small { class: "muted", {t!("settings-remote-hint")} }
                        }
                    }
                    label { r#for: "remote-url", class: if remote() { "" } else { "disabled" },
                        {t!("settings-remote-url")}
                    }
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
                        {t!(
                            "settings-health",
                            status = h.status.clone(),
                            database = h.database.clone(),
                            version = h.version.clone(),
                        )}
                    }
                }
                if save.succeeded() {
                    div { id: "saved", class: "banner ok", role: "status", {t!("settings-saved")} }
                }
                div { class: "row",
                    button { id: "test-connection", r#type: "button", class: "secondary", disabled: test.pending(), onclick: move |_| run_test(),
                        if test.pending() {
                            {t!("settings-testing")}
                        } else {
                            {t!("settings-test-connection")}
                        }
                    }
                    SubmitButton {
                        id: "save-settings",
                        label: t!("settings-save"),
                        busy_label: t!("settings-saving"),
                        busy: save.pending(),
                    }
                    Link { id: "back", class: "button-link", to: back, {t!("settings-back")} }
                }
            }
            if current.user.read().is_some() {
                Account {}
            }
            section { id: "language-settings", class: "about",
                fieldset {
                    legend { {t!("settings-language-legend")} }
                    label { r#for: "language", {t!("settings-language-label")} }
                    select {
                        id: "language",
                        aria_describedby: "language-hint",
                        onchange: move |e| {
                            let tag = e.value();
                            choose_language.call_with((!tag.is_empty()).then_some(tag));
                        },
                        option { value: "", selected: language_choice.is_empty(), {t!("settings-language-system")} }
                        for l in Language::CHOICES {
                            option {
                                key: "{l.tag()}",
                                value: l.tag(),
                                // Each language in its own name, whatever the current one.
                                lang: l.tag(),
                                translate: "no",
                                selected: language_choice == l.tag(),
                                {l.autonym()}
                            }
                        }
                    }
                    p { id: "language-hint", class: "hint", {t!("settings-language-hint")} }
                    if let Some(e) = choose_language.failure() {
                        ErrorBanner { error: e }
                    }
                }
            }
            section { class: "about", aria_labelledby: "about-title",
                h2 { id: "about-title", {t!("settings-about")} }
                if let Some(Ok(i)) = &*info.read() {
                    dl {
                        dt { {t!("settings-about-version")} }
                        dd { id: "about-version", "{i.version}" }
                        dt { {t!("settings-about-data-folder")} }
                        dd { id: "about-data-dir", code { "{i.data_dir}" } }
                        dt { {t!("settings-about-server")} }
                        dd { id: "about-backend", {server_name(&i.server)} }
                    }
                }
            }
        }
    }
}
