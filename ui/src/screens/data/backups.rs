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
use crate::t;

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
        current.signed_out(Some(t!("data-restored")));
        Ok::<_, CommandError>(())
    });
    let error = back_up.failure().or_else(|| choose.failure()).or_else(|| restore.failure());
    rsx! {
        div { class: "subsection", id: "backups-section",
            h2 { {t!("data-backups-heading")} }
            p { class: "muted",
                {t!("data-backups-where-before")}
                code { "{overview.backups_dir}" }
                {t!("data-backups-where-after")}
            }
            if let Some(problem) = &overview.backup_problem {
                div { id: "backup-problem", class: "banner error", role: "alert",
                    {t!("data-backup-problem", problem = problem.clone())}
                }
            }
            if overview.backups.is_empty() {
                p { id: "no-backups", class: "muted", {t!("data-no-backups")} }
            } else {
                ul { id: "backup-list", class: "backup-list",
                    for (b, when) in overview.backups.clone().into_iter().map(|b| { let when = shown_time(&b.made_at); (b, when) }) {
                        li { key: "{b.name}",
                            span { {t!("data-backup-entry", when = when.clone(), size = b.bytes.div_ceil(1024))} }
                            button { r#type: "button", class: "secondary",
                                aria_label: t!("data-backup-restore-label", when = when.clone()),
                                onclick: move |_| choose.call_with(Some(b.name.clone())), {t!("data-backup-restore")} }
                        }
                    }
                }
            }
            if let Some(p) = preview() {
                div { id: "restore-preview", class: "banner info", role: "alert",
                    onmounted: move |e: MountedEvent| async move { let _ = e.scroll_to(ScrollBehavior::Instant).await; },
                    p { {t!("data-restore-preview", file = p.file.clone(), accounts = p.accounts, tasks = p.tasks)} }
                    p { {t!("data-restore-warning")} }
                }
                div { class: "row",
                    button { id: "restore-confirm", r#type: "button", class: "destructive", disabled: restore.pending(),
                        onclick: move |_| restore.call(),
                        if restore.pending() { {t!("data-restoring")} } else { {t!("data-restore-confirm")} }
                    }
                    button { id: "restore-cancel", r#type: "button", class: "secondary",
                        onclick: move |_| preview.set(None), {t!("data-cancel")} }
                }
            }
            div { class: "row",
                button { id: "backup-now", r#type: "button", class: "secondary", disabled: back_up.pending(),
                    onclick: move |_| back_up.call(),
                    if back_up.pending() { {t!("data-backing-up")} } else { {t!("data-back-up-now")} }
                }
                button { id: "restore-choose", r#type: "button", class: "secondary", disabled: choose.pending(),
                    onclick: move |_| choose.call_with(None), {t!("data-restore-from-file")} }
            }
            if let Some(e) = error {
                ErrorBanner { error: e }
            }
            if let Some(Some(made)) = back_up.value() {
                div { id: "backup-done", class: "banner ok", role: "status",
                    {t!("data-backup-done", count = made.tasks, file = made.file.clone())}
                }
            }
        }
    }
}

/// An RFC 3339 time as the screens show times.
fn shown_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map(|t| human_time(t.to_utc())).unwrap_or_else(|_| rfc3339.to_owned())
}
