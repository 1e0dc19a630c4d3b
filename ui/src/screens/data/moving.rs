//! The move to a team server: where to, then (signed in there) the upload with its progress,
//! which goes on by itself and resumes after an error or a relaunch; the tasks the server refused
//! are listed, and the local database stays until the user removes it.

use authdesk_contract::desktop::data::{ContinueMove, FinishMove, GetMoveProgress, MoveProgress, StartMove};
use authdesk_contract::desktop::CommandError;
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{Form, SubmitButton};
use crate::components::ErrorBanner;
use crate::i18n::words::server_name;
use crate::state::CurrentUser;
use crate::{t, Route};

#[component]
pub fn MoveToTeam() -> Element {
    let current = use_context::<CurrentUser>();
    let mut url = use_signal(String::new);
    let mut start = use_action(move || async move {
        let saved = api::call(StartMove { url: url.peek().trim().to_owned() }).await.map_err(|e| current.check(e))?;
        current.signed_out(Some(t!("data-move-started", server = server_name(&saved.server))));
        Ok::<_, CommandError>(())
    });
    rsx! {
        div { class: "subsection", id: "move-section",
            h2 { {t!("data-move-heading")} }
            p { class: "muted", {t!("data-move-about")} }
            Form { id: "move-form", busy: start.pending(), onsubmit: move |_| start.call(),
                label { r#for: "move-url", {t!("data-move-url-label")} }
                input { id: "move-url", r#type: "url", placeholder: "https://auth.example.com", value: "{url}",
                    oninput: move |e| url.set(e.value()) }
                if let Some(e) = start.failure() {
                    ErrorBanner { error: e }
                }
                SubmitButton {
                    id: "move-start",
                    label: t!("data-move-start"),
                    busy_label: t!("data-move-checking"),
                    busy: start.pending(),
                }
            }
        }
    }
}

#[component]
pub fn MoveProgressPanel(progress: MoveProgress, on_change: EventHandler<()>) -> Element {
    let current = use_context::<CurrentUser>();
    let mut shown = use_signal(|| progress.clone());
    // Batch after batch until done or an error (which leaves Continue to the user).
    let mut upload = use_action(move || async move {
        while !shown.peek().done {
            shown.set(api::call(ContinueMove).await.map_err(|e| current.check(e))?);
        }
        Ok::<_, CommandError>(())
    });
    let mut finish = use_action(move |remove_local: bool| async move {
        api::call(FinishMove { remove_local }).await?;
        on_change.call(());
        Ok::<_, CommandError>(())
    });
    use_hook(move || {
        if !progress.done {
            upload.call();
        }
    });
    let p = shown();
    rsx! {
        div { class: "subsection", id: "move-progress-section",
            h2 { {t!("data-moving-heading", server = p.server.clone())} }
            progress { id: "move-progress", max: "{p.total.max(1)}", value: "{p.uploaded}",
                aria_label: t!("data-move-progress-label") }
            p { id: "move-counts", role: "status", {t!("data-move-counts", uploaded = p.uploaded, total = p.total)} }
            if let Some(e) = upload.failure() {
                ErrorBanner { error: e, on_retry: move |_| upload.call() }
            }
            if !p.done && !upload.pending() {
                button { id: "move-continue", r#type: "button", class: "primary",
                    onclick: move |_| upload.call(), {t!("data-move-continue")} }
            }
            if p.done {
                div { id: "move-done", class: "banner ok", role: "status",
                    {t!("data-move-done", server = p.server.clone())}
                }
                if !p.refused.is_empty() {
                    p { {t!("data-move-refused")} }
                    ul { id: "move-refused", translate: "no",
                        for title in p.refused.clone() { li { "{title}" } }
                    }
                }
                div { class: "row",
                    button { id: "move-remove-local", r#type: "button", class: "destructive", disabled: finish.pending(),
                        onclick: move |_| finish.call_with(true), {t!("data-move-remove-local")} }
                    button { id: "move-keep", r#type: "button", class: "secondary",
                        onclick: move |_| finish.call_with(false), {t!("data-move-keep")} }
                }
            }
            if let Some(e) = finish.failure() {
                ErrorBanner { error: e }
            }
        }
    }
}

/// On the dashboard: a move waiting for this server's upload.
#[component]
pub fn MoveWaiting() -> Element {
    let moving = use_answer(GetMoveProgress);
    let waiting = moving.read().as_ref().and_then(|m| m.as_ref().ok()).cloned().flatten();
    rsx! {
        if let Some(m) = waiting.filter(|m| !m.done) {
            div { id: "move-waiting", class: "banner info", role: "status",
                {t!("data-move-waiting", server = m.server.clone(), uploaded = m.uploaded, total = m.total)}
                " "
                Link { id: "move-resume", to: Route::YourData {}, {t!("data-move-resume")} }
            }
        }
    }
}
