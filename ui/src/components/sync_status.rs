//! Remote mode's sync in the header: "Synced", "Syncing…", "Offline — 3 changes waiting" or the
//! failure, with Retry; the leave warning when a close was held back; and back to sign in when
//! the sync found the session refused.

use authdesk_contract::desktop::commands::{AnswerLeaveWarning, SyncNow};
use authdesk_contract::desktop::{SyncState, SESSION_EXPIRED};
use dioxus::prelude::*;

use crate::api;
use crate::state::{CurrentUser, SyncWatch};

#[component]
pub fn SyncIndicator() -> Element {
    let current = use_context::<CurrentUser>();
    let sync = use_context::<SyncWatch>();
    use_effect(move || {
        if sync.status.read().state == SyncState::SignedOut && current.user.peek().is_some() {
            current.signed_out(Some(SESSION_EXPIRED.into()));
        }
    });
    let status = sync.status.read().clone();
    let label = status.label();
    if current.user.read().is_none() || label.is_empty() {
        return rsx! {};
    }
    let class = match status.state {
        SyncState::Synced => "synced",
        SyncState::Syncing => "syncing",
        SyncState::Offline => "offline",
        _ => "failed",
    };
    rsx! {
        div { id: "sync", class: "sync {class}", role: "status", aria_live: "polite",
            span { class: "sync-dot", aria_hidden: "true" }
            span { id: "sync-state", "{label}" }
            if status.can_retry() {
                button {
                    id: "sync-retry",
                    r#type: "button",
                    class: "link",
                    onclick: move |_| { spawn(async move { let _ = api::call(SyncNow).await; }); },
                    "Retry"
                }
            }
        }
    }
}

/// Shown once when the window is closed with changes waiting: they are kept either way.
#[component]
pub fn LeaveWarning() -> Element {
    let sync = use_context::<SyncWatch>();
    let status = sync.status.read().clone();
    if !status.leave_warning {
        return rsx! {};
    }
    let what = match status.waiting {
        1 => "1 change has".to_owned(),
        n => format!("{n} changes have"),
    };
    let answer = move |leave: bool| {
        spawn(async move {
            let _ = api::call(AnswerLeaveWarning { leave }).await;
        });
    };
    rsx! {
        div { class: "modal-backdrop",
            div { id: "leave-warning", class: "card narrow modal", role: "alertdialog", aria_labelledby: "leave-title", aria_describedby: "leave-text",
                h2 { id: "leave-title", "Changes are still waiting" }
                p { id: "leave-text",
                    "{what} not reached the server yet. They stay on this computer and are sent the next time authdesk opens and the server answers."
                }
                div { class: "modal-actions",
                    button { id: "leave-stay", r#type: "button", class: "secondary", onclick: move |_| answer(false), "Stay" }
                    button { id: "leave-anyway", r#type: "button", class: "primary", onclick: move |_| answer(true), "Close anyway" }
                }
            }
        }
    }
}
