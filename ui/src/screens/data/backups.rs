//! Backups of the embedded database: the automatic ones (one a day, the last 7) with Restore,
//! Back up now, and Restore from a file; a restore says what it will do and signs in again.

use authdesk_contract::desktop::data::{BackUpNow, ChooseRestore, ConfirmRestore, DataOverview, RestorePreview};
use authdesk_contract::desktop::CommandError;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::time::human_time;
use crate::components::ErrorBanner;
use crate::state::CurrentUser;

#[component]
pub fn Backups(overview: DataOverview, on_change: EventHandler<()>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut preview = use_signal(|| None::<RestorePreview>);
    let mut back_up = use_action(move || async move {
        let made = api::call(BackUpNow).await?;
        on_change.call(());
        Ok::<_, CommandError>(made)
    });
    let mut choose = use_action(move |automatic: Option<String>| async move {
        preview.set(api::call(ChooseRestore { automatic }).await?);
        Ok::<_, CommandError>(())
    });
    let mut restore = use_action(move || async move {
        api::call(ConfirmRestore).await?;
        current.signed_out(Some("Restored from the backup. Please sign in.".into()));
        Ok::<_, CommandError>(())
    });
    let error = back_up.failure().or_else(|| choose.failure()).or_else(|| restore.failure());
    rsx! {
        div { class: "subsection", id: "backups-section",
            h2 { "Backups" }
            p { class: "muted",
                "A copy of this computer's database is made once a day; the last 7 are kept in "
                code { "{overview.backups_dir}" }
                "."
            }
            if let Some(problem) = &overview.backup_problem {
                div { id: "backup-problem", class: "banner error", role: "alert", "The last automatic backup failed: {problem}" }
            }
            if overview.backups.is_empty() {
                p { id: "no-backups", class: "muted", "No automatic backup yet." }
            } else {
                ul { id: "backup-list", class: "backup-list",
                    for (b, when) in overview.backups.clone().into_iter().map(|b| { let when = shown_time(&b.made_at); (b, when) }) {
                        li { key: "{b.name}",
                            span { "{when} · {b.bytes.div_ceil(1024)} KiB" }
                            button { r#type: "button", class: "secondary", aria_label: "Restore the backup of {when}",
                                onclick: move |_| choose.call_with(Some(b.name.clone())), "Restore…" }
                        }
                    }
                }
            }
            if let Some(p) = preview() {
                div { id: "restore-preview", class: "banner info", role: "alert",
                    onmounted: move |e: MountedEvent| async move { let _ = e.scroll_to(ScrollBehavior::Instant).await; },
                    p { "Restore {p.file}: {p.accounts} accounts, {p.tasks} tasks." }
                    p { "Everything in this app's database is replaced; the database as it is now is kept beside it. You will sign in again." }
                }
                div { class: "row",
                    button { id: "restore-confirm", r#type: "button", class: "destructive", disabled: restore.pending(),
                        onclick: move |_| restore.call(), if restore.pending() { "Restoring…" } else { "Restore" } }
                    button { id: "restore-cancel", r#type: "button", class: "secondary", onclick: move |_| preview.set(None), "Cancel" }
                }
            }
            div { class: "row",
                button { id: "backup-now", r#type: "button", class: "secondary", disabled: back_up.pending(),
                    onclick: move |_| back_up.call(), if back_up.pending() { "Backing up…" } else { "Back up now…" } }
                button { id: "restore-choose", r#type: "button", class: "secondary", disabled: choose.pending(),
                    onclick: move |_| choose.call_with(None), "Restore from a file…" }
            }
            if let Some(e) = error {
                ErrorBanner { error: e }
            }
            if let Some(Some(made)) = back_up.value() {
                div { id: "backup-done", class: "banner ok", role: "status", "Backed up {made.tasks} tasks to {made.file}" }
            }
        }
    }
}

/// An RFC 3339 time as the screens show times.
fn shown_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map(|t| human_time(t.to_utc())).unwrap_or_else(|_| rfc3339.to_owned())
}
