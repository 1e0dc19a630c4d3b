//! Export (JSON or CSV, through the shell's save dialog) and import (an authdesk export or a CSV
//! with a `title` column), counted before anything is done.

use authdesk_contract::desktop::data::{ChooseImport, ConfirmImport, ExportData, ExportFormat, ImportPreview};
use authdesk_contract::desktop::CommandError;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::ErrorBanner;
use crate::state::CurrentUser;

#[component]
pub fn Export() -> Element {
    let current = use_context::<CurrentUser>();
    let mut export = use_action(move |format: ExportFormat| async move {
        api::call(ExportData { format }).await.map_err(|e| current.check(e))
    });
    let busy = export.pending();
    rsx! {
        div { class: "subsection", id: "export-section",
            h2 { "Export" }
            p { class: "muted",
                "JSON: your account, tasks, sessions and your own activity, as the server keeps them (never a password or a code). CSV: the tasks, for a spreadsheet."
            }
            div { class: "row",
                button { id: "export-json", r#type: "button", class: "secondary", disabled: busy,
                    onclick: move |_| export.call_with(ExportFormat::Json), "Export JSON…" }
                button { id: "export-csv", r#type: "button", class: "secondary", disabled: busy,
                    onclick: move |_| export.call_with(ExportFormat::Csv), "Export CSV…" }
            }
            if busy {
                div { class: "placeholder", role: "status", div { class: "spinner" } "Exporting…" }
            }
            if let Some(e) = export.failure() {
                ErrorBanner { error: e }
            }
            if let Some(Some(file)) = export.value() {
                div { id: "export-done", class: "banner ok", role: "status", "Saved to {file}" }
            }
        }
    }
}

#[component]
pub fn Import() -> Element {
    let current = use_context::<CurrentUser>();
    let mut preview = use_signal(|| None::<ImportPreview>);
    let mut choose = use_action(move || async move {
        let chosen = api::call(ChooseImport).await.map_err(|e| current.check(e))?;
        preview.set(chosen);
        Ok::<_, CommandError>(())
    });
    let mut confirm = use_action(move || async move {
        let done = api::call(ConfirmImport).await.map_err(|e| current.check(e))?;
        preview.set(None);
        Ok::<_, CommandError>(done)
    });
    let error = choose.failure().or_else(|| confirm.failure());
    rsx! {
        div { class: "subsection", id: "import-section",
            h2 { "Import" }
            p { class: "muted", "An authdesk export, or a CSV file with a title column (and id, completed, created_at if it has them)." }
            if let Some(p) = preview() {
                div { id: "import-preview", class: "banner info", role: "status",
                    p { strong { "{p.file}" } }
                    p { id: "import-counts", "{p.new} new · {p.already} already here · {p.conflicts} in conflict (left as they are)" }
                }
                div { class: "row",
                    button { id: "import-confirm", r#type: "button", class: "primary", disabled: confirm.pending() || p.new == 0,
                        onclick: move |_| confirm.call(),
                        if confirm.pending() { "Importing…" } else { "Import {p.new} tasks" }
                    }
                    button { id: "import-cancel", r#type: "button", class: "secondary", onclick: move |_| preview.set(None), "Cancel" }
                }
            } else {
                button { id: "import-choose", r#type: "button", class: "secondary", disabled: choose.pending(),
                    onclick: move |_| { confirm.reset(); choose.call(); }, "Choose a file…" }
            }
            if let Some(e) = error {
                ErrorBanner { error: e }
            }
            if let Some(done) = confirm.value() {
                div { id: "import-done", class: "banner ok", role: "status",
                    "Imported {done.created} tasks ({done.unchanged} were already here, {done.conflicts} in conflict)."
                    if done.queued { " They go to the server with the next sync." }
                }
            }
        }
    }
}
