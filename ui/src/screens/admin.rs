//! Administration (signed-in administrators): accounts with search, disable and enable, end their
//! sessions; invitations; the audit log with filters. Loading, empty and error states for each.

use authdesk_contract::audit::kind;
use authdesk_contract::desktop::commands::{AdminAudit, AdminListUsers, AdminRevokeSessions, AdminSetDisabled};
use authdesk_contract::desktop::CommandError;
use authdesk_contract::text::shown;
use authdesk_contract::{AdminUser, AuditEntry, SessionsEnded};
use dioxus::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::components::form::{Form, SubmitButton};
use crate::components::time::human_time;
use crate::components::{use_screen_for, use_screen_title, ErrorBanner};
use crate::state::CurrentUser;
use crate::t;

use super::invitations::Invitations;

#[component]
pub fn Administration() -> Element {
    use_screen_title(|| t!("admin-title"));
    use_screen_for(true);
    let current = use_context::<CurrentUser>();
    let is_admin = current.user.read().as_ref().is_some_and(|u| u.role == "admin");
    // Whose events the audit log shows (from a user's "Events" button).
    let for_user = use_signal(|| None::<(Uuid, String)>);
    rsx! {
        section { class: "card wide", aria_labelledby: "admin-title",
            h1 { id: "admin-title", {t!("admin-title")} }
            if is_admin {
                Users { for_user }
                Invitations {}
                AuditLog { for_user }
            } else {
                div { id: "admin-refused", class: "banner error", role: "alert", {t!("admin-refused")} }
            }
        }
    }
}

#[component]
fn Users(for_user: Signal<Option<(Uuid, String)>>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut search = use_signal(String::new);
    let mut applied = use_signal(|| None::<String>);
    let mut users = use_signal(Vec::<AdminUser>::new);
    let mut next = use_signal(|| None::<String>);
    let mut loading = use_signal(|| true);
    let mut error = use_signal(|| None::<CommandError>);
    let mut note = use_signal(|| None::<String>);

    // The first page for the applied search (again whenever it changes), or the next page.
    let mut load = move |more: bool| {
        let cursor = if more { next.peek().clone() } else { None };
        let query = applied.peek().clone();
        loading.set(true);
        spawn(async move {
            match api::call(AdminListUsers { query, cursor }).await {
                Ok(page) => {
                    if more {
                        users.write().extend(page.users);
                    } else {
                        users.set(page.users);
                    }
                    next.set(page.next_cursor);
                    error.set(None);
                }
                Err(e) => error.set(Some(current.check(e))),
            }
            loading.set(false);
        });
    };
    use_effect(move || {
        applied.read();
        load(false);
    });

    let act = move |(id, action): (Uuid, Action)| {
        spawn(async move {
            let done = match action {
                Action::Disable | Action::Enable => {
                    api::call(AdminSetDisabled { id, disabled: action == Action::Disable }).await.map(|user| {
                        let message = if user.disabled {
                            t!("admin-user-disabled", email = user.email.clone())
                        } else {
                            t!("admin-user-enabled", email = user.email.clone())
                        };
                        if let Some(row) = users.write().iter_mut().find(|u| u.id == user.id) {
                            *row = user;
                        }
                        message
                    })
                }
                Action::EndSessions => api::call(AdminRevokeSessions { id }).await.map(sessions_ended),
            };
            match done {
                Ok(message) => {
                    note.set(Some(message));
                    error.set(None);
                }
                Err(e) => error.set(Some(current.check(e))),
            }
        });
    };

    let listed = users.read().clone();
    rsx! {
        div { class: "subsection",
            h2 { {t!("admin-users-heading")} }
            Form {
                id: "admin-search-form",
                busy: false,
                onsubmit: move |_| applied.set(Some(search.peek().trim().to_owned()).filter(|s| !s.is_empty())),
                div { class: "row search-row",
                    input {
                        id: "admin-search",
                        r#type: "search",
                        placeholder: t!("admin-search-placeholder"),
                        aria_label: t!("admin-search-label"),
                        value: "{search}",
                        oninput: move |e| search.set(e.value()),
                    }
                    SubmitButton {
                        id: "admin-search-submit",
                        label: t!("admin-search-submit"),
                        busy_label: t!("admin-search-submit"),
                        busy: false,
                        class: "secondary",
                    }
                }
            }
            if let Some(e) = error() {
                ErrorBanner { error: e, on_retry: move |_| load(false) }
            }
            if let Some(message) = note() {
                div { id: "admin-note", class: "banner ok", role: "status", "{message}" }
            }
            if loading() && listed.is_empty() {
                div { id: "admin-loading", class: "placeholder", role: "status",
                    div { class: "spinner" }
                    {t!("admin-users-loading")}
                }
            } else if listed.is_empty() && error().is_none() {
                p { id: "admin-empty", class: "placeholder", {t!("admin-users-empty")} }
            } else {
                ul { id: "admin-users", class: "sessions",
                    for user in listed {
                        UserRow {
                            key: "{user.id}",
                            user: user.clone(),
                            on_act: act,
                            on_events: move |who: (Uuid, String)| {
                                let mut for_user = for_user;
                                for_user.set(Some(who));
                            },
                        }
                    }
                }
            }
            if next().is_some() {
                div { class: "row",
                    button { id: "admin-more", r#type: "button", class: "secondary", disabled: loading(),
                        onclick: move |_| load(true), {t!("admin-load-more")} }
                }
            }
        }
    }
}

/// How many sessions ended, in the user's language (the server's own sentence from a server too
/// old to give the count).
fn sessions_ended(ended: SessionsEnded) -> String {
    ended.revoked.map_or(ended.message, |count| t!("admin-sessions-ended", count = count))
}

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Disable,
    Enable,
    EndSessions,
}

#[component]
fn UserRow(user: AdminUser, on_act: EventHandler<(Uuid, Action)>, on_events: EventHandler<(Uuid, String)>) -> Element {
    let id = user.id;
    let email = user.email.clone();
    let last = user.last_login_at.map_or_else(|| t!("admin-user-never"), human_time);
    let joined = human_time(user.created_at);
    let facts = if user.email_verified {
        t!("admin-user-facts-verified", last = last, joined = joined)
    } else {
        t!("admin-user-facts", last = last, joined = joined)
    };
    rsx! {
        li { class: "session admin-user", "data-email": "{user.email}", "data-disabled": "{user.disabled}", "data-verified": "{user.email_verified}",
            div { class: "session-text",
                strong { class: "session-label", "{user.email}" }
                small { class: "muted", "{facts}" }
            }
            div { class: "row tight",
                if user.role == "admin" {
                    span { class: "pill remote", {t!("admin-role-admin")} }
                }
                if user.disabled {
                    span { class: "pill off admin-status", {t!("admin-user-status-disabled")} }
                    button { r#type: "button", class: "ghost admin-toggle",
                        onclick: move |_| on_act.call((id, Action::Enable)), {t!("admin-user-enable")} }
                } else {
                    span { class: "pill on admin-status", {t!("admin-user-status-active")} }
                    button { r#type: "button", class: "ghost danger admin-toggle",
                        onclick: move |_| on_act.call((id, Action::Disable)), {t!("admin-user-disable")} }
                }
                button { r#type: "button", class: "ghost admin-end-sessions",
                    onclick: move |_| on_act.call((id, Action::EndSessions)), {t!("admin-user-end-sessions")} }
                button { r#type: "button", class: "ghost admin-events",
                    onclick: move |_| on_events.call((id, email.clone())), {t!("admin-user-events")} }
            }
        }
    }
}

#[component]
fn AuditLog(for_user: Signal<Option<(Uuid, String)>>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut kind = use_signal(String::new);
    let mut since = use_signal(String::new);
    let mut events = use_signal(Vec::<AuditEntry>::new);
    let mut next = use_signal(|| None::<String>);
    let mut loading = use_signal(|| true);
    let mut error = use_signal(|| None::<CommandError>);

    let mut load = move |more: bool| {
        let filter = AdminAudit {
            user_id: for_user.peek().as_ref().map(|(id, _)| *id),
            kind: Some(kind.peek().clone()).filter(|k| !k.is_empty()),
            since: Some(since.peek().clone()).filter(|s| !s.is_empty()),
            cursor: if more { next.peek().clone() } else { None },
        };
        loading.set(true);
        spawn(async move {
            match api::call(filter).await {
                Ok(page) => {
                    if more {
                        events.write().extend(page.events);
                    } else {
                        events.set(page.events);
                    }
                    next.set(page.next_cursor);
                    error.set(None);
                }
                Err(e) => error.set(Some(current.check(e))),
            }
            loading.set(false);
        });
    };
    // Again whenever a filter changes.
    use_effect(move || {
        // Subscribes to the filters.
        let _ = (for_user.read(), kind.read(), since.read());
        load(false);
    });

    let shown = events.read().clone();
    rsx! {
        div { class: "subsection",
            h2 { {t!("admin-audit-heading")} }
            div { class: "row filters",
                label { r#for: "audit-type", class: "inline", {t!("admin-audit-type")} }
                select { id: "audit-type", value: "{kind}", onchange: move |e| kind.set(e.value()),
                    option { value: "", {t!("admin-audit-all-types")} }
                    for t in kind::ALL {
                        option { key: "{t}", value: "{t}", translate: "no", "{t}" }
                    }
                }
                label { r#for: "audit-since", class: "inline", {t!("admin-audit-since")} }
                input { id: "audit-since", r#type: "date", value: "{since}", onchange: move |e| since.set(e.value()) }
                if let Some((_, email)) = for_user() {
                    span { id: "audit-user", class: "pill",
                        "{email} "
                        button { id: "audit-user-clear", r#type: "button", class: "link",
                            aria_label: t!("admin-audit-clear-user"),
                            onclick: move |_| { let mut for_user = for_user; for_user.set(None); }, "×" }
                    }
                }
            }
            if let Some(e) = error() {
                ErrorBanner { error: e, on_retry: move |_| load(false) }
            }
            if loading() && shown.is_empty() {
                div { id: "audit-loading", class: "placeholder", role: "status",
                    div { class: "spinner" }
                    {t!("admin-audit-loading")}
                }
            } else if shown.is_empty() && error().is_none() {
                p { id: "audit-empty", class: "placeholder", {t!("admin-audit-empty")} }
            } else {
                ul { id: "audit-events", class: "audit",
                    for event in shown {
                        AuditRow { key: "{event.id}", event: event.clone() }
                    }
                }
            }
            if next().is_some() {
                div { class: "row",
                    button { id: "audit-more", r#type: "button", class: "secondary", disabled: loading(),
                        onclick: move |_| load(true), {t!("admin-load-more")} }
                }
            }
        }
    }
}

/// A detail's value as a person reads it. The details are strings and counts; serde_json's own
/// printer (with its float formatter) would be kilobytes of wasm for them.
fn detail_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => {
            n.as_i64().map(|i| i.to_string()).unwrap_or_else(|| n.as_f64().unwrap_or(f64::NAN).to_string())
        }
        Value::Bool(b) => b.to_string(),
        Value::Null => t!("admin-audit-detail-none"),
        Value::Array(items) => items.iter().map(detail_text).collect::<Vec<_>>().join(", "),
        Value::Object(map) => {
            map.iter().map(|(k, v)| [k.as_str(), ": ", &detail_text(v)].concat()).collect::<Vec<_>>().join(", ")
        }
    }
}

#[component]
fn AuditRow(event: AuditEntry) -> Element {
    // Stored text shown escaped: bidirectional or control characters in a row an older server
    // wrote must not reorder or hide what the administrator reads.
    let who = shown(&event.email.clone().unwrap_or_default());
    let from = [event.client_ip.clone(), event.client.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let from = shown(&from);
    let details = match &event.details {
        serde_json::Value::Object(map) if !map.is_empty() => {
            shown(&map.iter().map(|(k, v)| [k.as_str(), ": ", &detail_text(v)].concat()).collect::<Vec<_>>().join(", "))
        }
        _ => String::new(),
    };
    let failed = event.outcome != "success";
    rsx! {
        li { class: if failed { "audit-event failed" } else { "audit-event" }, "data-type": "{event.kind}",
            span { class: "audit-time muted", "{human_time(event.at)}" }
            span { class: "audit-kind", code { "{event.kind}" } }
            span { class: if failed { "pill off" } else { "pill on" },
                {t!("admin-audit-outcome", outcome = event.outcome.clone())}
            }
            span { class: "audit-who", "{who}" }
            small { class: "muted audit-from", translate: "no", "{from}" }
            if !details.is_empty() {
                small { class: "muted audit-details", translate: "no", "{details}" }
            }
        }
    }
}
