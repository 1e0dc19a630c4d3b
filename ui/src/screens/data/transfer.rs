//! Export (JSON or CSV, through the shell's save dialog) and import (an authdesk export or a CSV
//! with a `title` column), counted before anything is done.

use authdesk_contract::desktop::data::{ChooseImport, ConfirmImport, ExportData, ExportFormat, ImportPreview};
use authdesk_contract::desktop::CommandError;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::ErrorBanner;
use crate::state::CurrentUser;
use crate::t;

#[component]
pub fn Export() -> Element {
    let current = use_context::<CurrentUser>();
    let mut export = use_action(move |format: ExportFormat| async move {
        api::call(ExportData { format }).await.map_err(|e| current.check(e))
    });
    let busy = export.pending();
    rsx! {
        div { class: "subsection", id: "export-section",
            h2 { {t!("data-export-heading")} }
            p { class: "muted", {t!("data-export-about")} }
            div { class: "row",
                button { id: "export-json", r#type: "button", class: "secondary", disabled: busy,
                    onclick: move |_| export.call_with(ExportFormat::Json), {t!("data-export-json")} }
                button { id: "export-csv", r#type: "button", class: "secondary", disabled: busy,
                    onclick: move |_| export.call_with(ExportFormat::Csv), {t!("data-export-csv")} }
            }
            if busy {
                div { class: "placeholder", role: "status", div { class: "spinner" } {t!("data-exporting")} }
            }
            if let Some(e) = export.failure() {
                ErrorBanner { error: e }
            }
            if let Some(Some(file)) = export.value() {
                div { id: "export-done", class: "banner ok", role: "status",
                    {t!("data-export-saved", file = file.clone())}
                }
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
            h2 { {t!("data-import-heading")} }
            p { class: "muted", {t!("data-import-about")} }
            if let Some(p) = preview() {
                div { id: "import-preview", class: "banner info", role: "status",
                    p { strong { "{p.file}" } }
                    p { id: "import-counts",
                        {t!("data-import-counts", new = p.new, already = p.already, conflicts = p.conflicts)}
                    }
                }
                div { class: "row",
                    button { id: "import-confirm", r#type: "button", class: "primary", disabled: confirm.pending() || p.new == 0,
                        onclick: move |_| confirm.call(),
                        if confirm.pending() {
                            {t!("data-importing")}
                        } else {
                            {t!("data-import-confirm", count = p.new)}
                        }
                    }
                    button { id: "import-cancel", r#type: "button", class: "secondary",
                        onclick: move |_| preview.set(None), {t!("data-cancel")} }
                }
            } else {
                button { id: "import-choose", r#type: "button", class: "secondary", disabled: choose.pending(),
                    onclick: move |_| { confirm.reset(); choose.call(); }, {t!("data-import-choose")} }
            }
            if let Some(e) = error {
                ErrorBanner { error: e }
            }
            if let Some(done) = confirm.value() {
                div { id: "import-done", class: "banner ok", role: "status",
                    {t!("data-import-done", created = done.created, unchanged = done.unchanged,
                        conflicts = done.conflicts)}
                    if done.queued {
                        " "
                        {t!("data-import-queued", count = done.created)}
                    }
                }
            }
        }
    }
}
