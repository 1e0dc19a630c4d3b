use authdesk_contract::desktop::commands::{CreateTask, ListTasks, Logout, Me};
use authdesk_contract::desktop::{CommandError, ErrorKind};
use authdesk_contract::{validate_task_title, Task, TITLE_CONTROL_CHARACTERS, TITLE_EMPTY, TITLE_TOO_LONG};
use dioxus::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::components::announcer::use_announcer;
use crate::components::form::{Form, SubmitButton};
use crate::components::time::human_time;
use crate::components::{use_screen_for, use_screen_title, ErrorBanner, Modal};
use crate::i18n::words::signed_out_warning;
use crate::state::{CurrentUser, SyncWatch};
use crate::t;

use super::task_row::TaskRow;

#[component]
pub fn Dashboard() -> Element {
    use_screen_title(|| t!("tasks-title"));
    let current = use_context::<CurrentUser>();
    // Protected: without a session there is nothing to show here.
    use_screen_for(true);
    let mut tasks = use_signal(Vec::<Task>::new);
    let mut loading = use_signal(|| true);
    let mut error = use_signal(|| None::<CommandError>);
    let mut new_title = use_signal(String::new);
    let mut adding = use_signal(|| false);
    let editing = use_signal(|| None::<(Uuid, String)>);
    // A row whose edit just ended: its Rename button takes the focus back as it reappears.
    let returning = use_signal(|| None::<Uuid>);
    let mut search = use_signal(String::new);
    let announcer = use_announcer();
    // Signing out waits for the last changes to reach the server; if some cannot, why (and the
    // offer to discard them).
    let mut signing_out = use_signal(|| false);
    let mut unsent = use_signal(|| None::<String>);

    let fail = move |e: CommandError| {
        let mut error = error;
        error.set(Some(current.check(e)));
    };

    let mut reload = move || {
        loading.set(true);
        spawn(async move {
            // The tasks first: in remote mode they come from this computer at once, while the
            // profile may wait for the network (and is kept from the last time when offline).
            let result = api::call(ListTasks).await;
            loading.set(false);
            match result {
                Ok(list) => {
                    tasks.set(list);
                    error.set(None);
                }
                Err(e) => return fail(e),
            }
            // A sign-in just now brought the profile with it.
            let mut profile_fresh = current.profile_fresh;
            if std::mem::take(&mut *profile_fresh.write()) {
                return;
            }
            match api::call(Me).await {
                Ok(me) => {
                    let mut user = current.user;
                    user.set(Some(me));
                }
                Err(e) if e.is_unauthorized() => fail(e),
                Err(_) => {}
            }
        });
    };
    use_hook(move || {
        if current.user.peek().is_some() {
            reload();
        }
    });
    // Remote mode: tasks changed elsewhere (another device) are read again from the shell's copy.
    let sync = use_context::<SyncWatch>();
    let mut seen_tasks = use_signal(|| sync.status.peek().tasks_revision);
    use_effect(move || {
        let revision = sync.status.read().tasks_revision;
        if revision != *seen_tasks.peek() {
            seen_tasks.set(revision);
            spawn(async move {
                if let Ok(list) = api::call(ListTasks).await {
                    tasks.set(list);
                }
            });
        }
    });

    let add = move |()| {
        let title = match validate_task_title(&new_title.peek()) {
            Ok(t) => t,
            Err(detail) => {
                error.set(Some(CommandError::rejected(title_error_text(detail))));
                return;
            }
        };
        adding.set(true);
        spawn(async move {
            let result = api::call(CreateTask { title }).await;
            adding.set(false);
            match result {
                Ok(task) => {
                    announcer.say(t!("tasks-added", title = task.title.clone()));
                    tasks.write().insert(0, task);
                    new_title.set(String::new());
                    error.set(None);
                }
                Err(e) => fail(e),
            }
        });
    };

    let mut sign_out = move |discard_waiting: bool| {
        signing_out.set(true);
        spawn(async move {
            let result = api::call(Logout { discard_waiting }).await;
            signing_out.set(false);
            let notice = match result {
                Ok(out) => signed_out_warning(&out).unwrap_or_else(|| t!("tasks-signed-out")),
                Err(e) if e.kind == ErrorKind::ChangesWaiting => {
                    // The shell words it (how many changes, which server) in the app's language.
                    unsent.set(Some(e.message));
                    return;
                }
                Err(_) => t!("tasks-signed-out"),
            };
            current.signed_out(Some(notice));
        });
    };

    let user = current.user.read().clone();
    let Some(user) = user else {
        return rsx! {};
    };
    let last = user.last_login_at.map(human_time).unwrap_or_else(|| t!("tasks-first-sign-in"));
    let open = tasks.read().iter().filter(|t| !t.completed).count();
    let total = tasks.read().len();
    let wanted = search.read().trim().to_lowercase();
    let shown: Vec<Task> = tasks
        .read()
        .iter()
        .filter(|t| wanted.is_empty() || t.title.to_lowercase().contains(&wanted))
        .cloned()
        .collect();

    rsx! {
        section { class: "card wide", aria_labelledby: "dash-title",
            super::data::MoveWaiting {}
            div { class: "dash-head",
                div {
                    h1 { id: "dash-title", {t!("tasks-heading")} }
                    p { class: "muted",
                        {t!("tasks-signed-in-as")}
                        " "
                        strong { id: "user-email", "{user.email}" }
                        " · "
                        {t!("tasks-last-sign-in")}
                        " "
                        span { id: "last-login", "{last}" }
                    }
                }
                button {
                    id: "sign-out",
                    r#type: "button",
                    class: "secondary",
                    disabled: signing_out(),
                    onclick: move |_| sign_out(false),
                    if signing_out() { {t!("tasks-signing-out")} } else { {t!("tasks-sign-out")} }
                }
            }
            if let Some(message) = unsent() {
                // Escape stays signed in, as the safe answer; the focus goes back to Sign out.
                Modal {
                    id: "unsent",
                    role: "alertdialog",
                    labelled_by: "unsent-title",
                    described_by: "unsent-text",
                    return_to: "sign-out",
                    on_escape: move |_| unsent.set(None),
                    h2 { id: "unsent-title", {t!("tasks-unsent-title")} }
                    p { id: "unsent-text", "{message}" }
                    div { class: "modal-actions",
                        button {
                            id: "keep-unsent",
                            r#type: "button",
                            class: "primary",
                            autofocus: true,
                            onclick: move |_| unsent.set(None),
                            {t!("tasks-stay-signed-in")}
                        }
                        button {
                            id: "discard-and-sign-out",
                            r#type: "button",
                            class: "secondary danger",
                            onclick: move |_| {
                                unsent.set(None);
                                sign_out(true);
                            },
                            {t!("tasks-discard-and-sign-out")}
                        }
                    }
                }
            }
            if let Some(e) = error.read().clone() {
                ErrorBanner { error: e, on_retry: move |_| reload() }
            }
            Form { id: "task-form", class: "task-form", busy: adding(), onsubmit: add,
                label { r#for: "task-input", class: "sr-only", {t!("tasks-new-task")} }
                input {
                    id: "task-input",
                    r#type: "text",
                    placeholder: t!("tasks-new-task-placeholder"),
                    autofocus: true,
                    maxlength: "200",
                    autocomplete: "off",
                    value: "{new_title}",
                    oninput: move |e| new_title.set(e.value()),
                }
                SubmitButton { id: "add-task", label: t!("tasks-add"), busy_label: t!("tasks-adding"), busy: adding() }
            }
            if loading() && total == 0 {
                div { id: "loading", class: "placeholder", role: "status",
                    div { class: "spinner", aria_hidden: "true" }
                    {t!("tasks-loading")}
                }
            } else if total == 0 {
                div { id: "empty", class: "placeholder",
                    p { class: "big", {t!("tasks-empty")} }
                    p { class: "muted", {t!("tasks-empty-hint")} }
                }
            } else {
                div { class: "task-tools",
                    p { id: "task-count", class: "muted small", {t!("tasks-count", open = open, total = total)} }
                    input {
                        id: "task-search",
                        r#type: "search",
                        placeholder: t!("tasks-search"),
                        aria_label: t!("tasks-search"),
                        aria_keyshortcuts: "Control+F Meta+F",
                        value: "{search}",
                        oninput: move |e| search.set(e.value()),
                    }
                }
                if shown.is_empty() {
                    p { id: "no-match", class: "muted", role: "status", {t!("tasks-no-match", search = search())} }
                }
                ul { id: "tasks", class: "tasks", aria_label: t!("tasks-list"),
                    for task in shown {
                        TaskRow { key: "{task.id}", task, tasks, editing, returning, on_error: fail }
                    }
                }
            }
        }
    }
}

/// A title the UI refused before sending it, in the user's language (the contract words it in
/// English; an unknown refusal keeps its words).
fn title_error_text(detail: &str) -> String {
    match detail {
        TITLE_EMPTY => t!("tasks-title-empty"),
        TITLE_CONTROL_CHARACTERS => t!("tasks-title-control-characters"),
        TITLE_TOO_LONG => t!("tasks-title-too-long"),
        other => other.to_owned(),
    }
}
