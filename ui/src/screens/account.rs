//! The Account section of Settings (signed in only): change the password, see and end the
//! account's sessions, delete the account.

use authdesk_contract::{check_password, SessionInfo as DeviceSession};
use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use uuid::Uuid;

use crate::api::{self, ApiError};
use crate::components::{ErrorBanner, PasswordChecklist};
use crate::state::Auth;

#[component]
pub fn Account() -> Element {
    let info = use_resource(api::app_info);
    let storage = match &*info.read() {
        Some(Ok(info)) => info.token_storage.clone(),
        _ => String::new(),
    };
    rsx! {
        section { id: "account", class: "about account", aria_labelledby: "account-title",
            h2 { id: "account-title", "Account" }
            p { id: "token-storage", class: "muted small",
                if storage.is_empty() {
                    "This device stays signed in with a refresh token."
                } else {
                    "This device stays signed in with a refresh token kept in {storage}. The access token stays in memory."
                }
            }
            ChangePassword {}
            Sessions {}
            DeleteAccount {}
        }
    }
}

#[component]
fn ChangePassword() -> Element {
    let auth = use_context::<Auth>();
    let mut current = use_signal(String::new);
    let mut new = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);
    let mut done = use_signal(|| None::<String>);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        if busy() {
            return;
        }
        done.set(None);
        if current.peek().is_empty() {
            error.set(Some(rejected("Enter your current password")));
            return;
        }
        if let Some(rule) = check_password(&new.peek()).first() {
            error.set(Some(rejected(rule.message())));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = api::change_password(&current.peek(), &new.peek()).await;
            busy.set(false);
            match result {
                Ok(message) => {
                    current.set(String::new());
                    new.set(String::new());
                    done.set(Some(message));
                }
                Err(e) => error.set(auth.check(e)),
            }
        });
    };

    rsx! {
        form { id: "change-password-form", class: "subsection", novalidate: true, onsubmit: submit,
            h3 { "Change password" }
            label { r#for: "current-password", "Current password" }
            input {
                id: "current-password",
                r#type: "password",
                autocomplete: "current-password",
                value: "{current}",
                oninput: move |e| current.set(e.value()),
            }
            label { r#for: "new-password", "New password" }
            input {
                id: "new-password",
                r#type: "password",
                autocomplete: "new-password",
                aria_describedby: "new-checklist",
                value: "{new}",
                oninput: move |e| new.set(e.value()),
            }
            PasswordChecklist { password: new, id: "new-checklist", rule_prefix: "new-rule" }
            if let Some(e) = error.read().clone() {
                ErrorBanner { error: e }
            }
            if let Some(message) = done.read().clone() {
                div { id: "password-changed", class: "banner ok", role: "status", "{message}" }
            }
            div { class: "row",
                button { id: "change-password", r#type: "submit", class: "primary", disabled: busy(),
                    if busy() { "Changing…" } else { "Change password" }
                }
            }
        }
    }
}

#[component]
fn Sessions() -> Element {
    let auth = use_context::<Auth>();
    let mut sessions = use_resource(api::list_sessions);
    let mut error = use_signal(|| None::<ApiError>);
    let mut busy = use_signal(|| false);
    let mut ended = use_signal(|| None::<String>);

    let mut after = move |result: Result<Option<String>, ApiError>| {
        busy.set(false);
        match result {
            Ok(message) => {
                ended.set(message);
                sessions.restart();
            }
            Err(e) => error.set(auth.check(e)),
        }
    };
    let revoke = move |id: Uuid| {
        busy.set(true);
        error.set(None);
        ended.set(None);
        spawn(async move {
            let result = api::revoke_session(id).await.map(|()| Some("Signed out that session.".to_owned()));
            after(result);
        });
    };
    let others = move |_| {
        busy.set(true);
        error.set(None);
        ended.set(None);
        spawn(async move {
            let result = api::sign_out_others().await.map(|n| {
                Some(match n {
                    0 => "No other session was signed in.".to_owned(),
                    1 => "Signed out 1 other session.".to_owned(),
                    n => format!("Signed out {n} other sessions."),
                })
            });
            after(result);
        });
    };

    // A refused session while listing: back to sign in (outside render).
    use_effect(move || {
        if let Some(Err(e)) = &*sessions.read() {
            if e.is("unauthorized") {
                auth.signed_out(Some(e.message.clone()));
            }
        }
    });

    let listed = sessions.read().clone();
    let other_count = match &listed {
        Some(Ok(list)) => list.iter().filter(|s| !s.current).count(),
        _ => 0,
    };
    rsx! {
        div { class: "subsection",
            h3 { "Active sessions" }
            match listed {
                None => rsx! {
                    div { id: "sessions-loading", class: "placeholder", role: "status", div { class: "spinner" } "Loading sessions…" }
                },
                Some(Err(e)) => rsx! { ErrorBanner { error: e, on_retry: move |_| sessions.restart() } },
                Some(Ok(list)) if list.is_empty() => rsx! {
                    p { id: "sessions-empty", class: "placeholder", "No active sessions." }
                },
                Some(Ok(list)) => rsx! {
                    ul { id: "sessions", class: "sessions",
                        for s in list {
                            SessionRow { key: "{s.id}", session: s, busy: busy(), on_revoke: revoke }
                        }
                    }
                },
            }
            if let Some(e) = error.read().clone() {
                ErrorBanner { error: e }
            }
            if let Some(message) = ended.read().clone() {
                div { id: "sessions-ended", class: "banner ok", role: "status", "{message}" }
            }
            div { class: "row",
                button {
                    id: "sign-out-others",
                    r#type: "button",
                    class: "secondary",
                    disabled: busy() || other_count == 0,
                    onclick: others,
                    "Sign out everywhere else"
                }
            }
        }
    }
}

#[component]
fn SessionRow(session: DeviceSession, busy: bool, on_revoke: EventHandler<Uuid>) -> Element {
    let id = session.id;
    rsx! {
        li { class: if session.current { "session current" } else { "session" }, "data-current": "{session.current}",
            div { class: "session-text",
                strong { class: "session-label", "{session.label}" }
                small { class: "muted", "Last used {human_time(session.last_used_at)} · signed in {human_time(session.created_at)}" }
            }
            if session.current {
                span { class: "pill", "This device" }
            } else {
                button {
                    r#type: "button",
                    class: "ghost danger session-revoke",
                    aria_label: "Sign out {session.label}",
                    disabled: busy,
                    onclick: move |_| on_revoke.call(id),
                    "Sign out"
                }
            }
        }
    }
}

#[component]
fn DeleteAccount() -> Element {
    let auth = use_context::<Auth>();
    let mut password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ApiError>);

    let submit = move |e: FormEvent| {
        e.prevent_default();
        if busy() {
            return;
        }
        if password.peek().is_empty() {
            error.set(Some(rejected("Enter your password to delete the account")));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let result = api::delete_account(&password.peek()).await;
            busy.set(false);
            match result {
                Ok(()) => auth.signed_out(Some("Your account has been deleted.".into())),
                Err(e) => error.set(auth.check(e)),
            }
        });
    };

    rsx! {
        form { id: "delete-account-form", class: "subsection", novalidate: true, onsubmit: submit,
            h3 { "Delete account" }
            p { class: "muted small", "This deletes the account and all its tasks on the server, for good." }
            label { r#for: "delete-password", "Password" }
            input {
                id: "delete-password",
                r#type: "password",
                autocomplete: "current-password",
                value: "{password}",
                oninput: move |e| password.set(e.value()),
            }
            if let Some(e) = error.read().clone() {
                ErrorBanner { error: e }
            }
            div { class: "row",
                button { id: "delete-account", r#type: "submit", class: "secondary danger", disabled: busy(),
                    if busy() { "Deleting…" } else { "Delete account" }
                }
            }
        }
    }
}

fn human_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn rejected(message: &str) -> ApiError {
    ApiError { kind: "rejected".into(), message: message.into(), retry_after: None, status: None }
}
