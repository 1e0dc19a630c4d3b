//! Remote mode's sync in the header: "Synced", "Syncing…", "Offline — 3 changes waiting" or the
//! failure, with Retry; the leave warning when a close was held back; and back to sign in when
//! the sync found the session refused.

use authdesk_contract::desktop::commands::{AnswerLeaveWarning, SyncNow};
use authdesk_contract::desktop::{SyncState, SyncStatus};
use dioxus::prelude::*;

use super::Modal;
use crate::api;
use crate::state::{CurrentUser, SyncWatch};
use crate::t;

#[component]
pub fn SyncIndicator() -> Element {
    let current = use_context::<CurrentUser>();
    let sync = use_context::<SyncWatch>();
    use_effect(move || {
        if sync.status.read().state == SyncState::SignedOut && current.user.peek().is_some() {
            current.signed_out(Some(t!("error-session-expired")));
        }
    });
    let status = sync.status.read().clone();
    let label = sync_label(&status);
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
                    {t!("action-retry")}
                }
            }
        }
    }
}

/// The header's words: "Synced", "Syncing…", "Offline — 3 changes waiting", or the failure (the
/// shell's message); empty when there is nothing to sync.
fn sync_label(status: &SyncStatus) -> String {
    let count = status.waiting;
    match (&status.state, count) {
        (SyncState::Local | SyncState::SignedOut, _) => String::new(),
        (SyncState::Synced, _) => t!("sync-synced"),
        (SyncState::Syncing, 0) => t!("sync-syncing"),
        (SyncState::Syncing, _) => t!("sync-syncing-waiting", count = count),
        (SyncState::Offline, 0) => t!("sync-offline"),
        (SyncState::Offline, _) => t!("sync-offline-waiting", count = count),
        (SyncState::Failed { message }, 0) => t!("sync-failed", message = message.clone()),
        (SyncState::Failed { message }, _) => t!("sync-failed-waiting", message = message.clone(), count = count),
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
    let text = t!("leave-text", count = status.waiting);
    let answer = move |leave: bool| {
        spawn(async move {
            let _ = api::call(AnswerLeaveWarning { leave }).await;
        });
    };
    // Escape stays, as the safe answer; the focus goes back where it was either way.
    rsx! {
        Modal { id: "leave-warning", role: "alertdialog", labelled_by: "leave-title", described_by: "leave-text",
            on_escape: move |_| answer(false),
            h2 { id: "leave-title", {t!("leave-title")} }
            p { id: "leave-text", "{text}" }
            div { class: "modal-actions",
                button {
                    id: "leave-stay",
                    r#type: "button",
                    class: "secondary",
                    autofocus: true,
                    onclick: move |_| answer(false),
                    {t!("leave-stay")}
                }
                button { id: "leave-anyway", r#type: "button", class: "primary", onclick: move |_| answer(true),
                    {t!("leave-close-anyway")}
                }
            }
        }
    }
}
