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
use crate::state::CurrentUser;
use crate::Route;

#[component]
pub fn MoveToTeam() -> Element {
    let current = use_context::<CurrentUser>();
    let mut url = use_signal(String::new);
    let mut start = use_action(move || async move {
        let saved = api::call(StartMove { url: url.peek().trim().to_owned() }).await.map_err(|e| current.check(e))?;
        current.signed_out(Some(format!(
            "Now on {}. Sign in, or create your account there, to upload your tasks.",
            saved.server.describe()
        )));
        Ok::<_, CommandError>(())
    });
    rsx! {
        div { class: "subsection", id: "move-section",
            h2 { "Move to a team server" }
            p { class: "muted", "Your tasks go to your account on the team server, with their ids and dates. This computer's database stays until you remove it." }
            Form { id: "move-form", busy: start.pending(), onsubmit: move |_| start.call(),
                label { r#for: "move-url", "Team server" }
                input { id: "move-url", r#type: "url", placeholder: "https://auth.example.com", value: "{url}",
                    oninput: move |e| url.set(e.value()) }
                if let Some(e) = start.failure() {
                    ErrorBanner { error: e }
                }
                SubmitButton { id: "move-start", label: "Move…", busy_label: "Checking the server…", busy: start.pending() }
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
            h2 { "Moving to {p.server}" }
            progress { id: "move-progress", max: "{p.total.max(1)}", value: "{p.uploaded}", aria_label: "Tasks uploaded" }
            p { id: "move-counts", role: "status", "{p.uploaded} of {p.total} tasks uploaded" }
            if let Some(e) = upload.failure() {
                ErrorBanner { error: e, on_retry: move |_| upload.call() }
            }
            if !p.done && !upload.pending() {
                button { id: "move-continue", r#type: "button", class: "primary", onclick: move |_| upload.call(), "Continue" }
            }
            if p.done {
                div { id: "move-done", class: "banner ok", role: "status", "Your tasks are on {p.server}." }
                if !p.refused.is_empty() {
                    p { "The server refused these tasks; they stay in this computer's database:" }
                    ul { id: "move-refused",
                        for title in p.refused.clone() { li { "{title}" } }
                    }
                }
                div { class: "row",
                    button { id: "move-remove-local", r#type: "button", class: "destructive", disabled: finish.pending(),
                        onclick: move |_| finish.call_with(true), "Remove this computer's database" }
                    button { id: "move-keep", r#type: "button", class: "secondary", onclick: move |_| finish.call_with(false), "Keep it and close" }
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
                "Your tasks from this computer are waiting to go to {m.server} ({m.uploaded} of {m.total} uploaded). "
                Link { id: "move-resume", to: Route::YourData {}, "Continue the move" }
            }
        }
    }
}
