//! One task in the dashboard's list: done or not, renamed in place (Enter saves, Escape cancels,
//! and the focus comes back to its Rename button either way), deleted (the focus goes to the new
//! task's field). Each result is announced in the live region.

use authdesk_contract::desktop::commands::{DeleteTask, UpdateTask};
use authdesk_contract::desktop::CommandError;
use authdesk_contract::{Task, UpdateTaskRequest};
use dioxus::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::components::announcer::use_announcer;
use crate::components::shortcuts::focus_when_there;
use crate::t;

#[component]
pub fn TaskRow(
    task: Task,
    tasks: Signal<Vec<Task>>,
    editing: Signal<Option<(Uuid, String)>>,
    returning: Signal<Option<Uuid>>,
    on_error: EventHandler<CommandError>,
) -> Element {
    let mut tasks = tasks;
    let mut editing = editing;
    let mut returning = returning;
    let announcer = use_announcer();
    let id = task.id;
    let is_editing = editing.read().as_ref().is_some_and(|(e, _)| *e == id);
    let mut replace = move |updated: Task| {
        if let Some(slot) = tasks.write().iter_mut().find(|t| t.id == updated.id) {
            *slot = updated;
        }
    };
    let toggle = move |_| {
        let done = !task.completed;
        spawn(async move {
            let changes = UpdateTaskRequest { completed: Some(done), title: None };
            match api::call(UpdateTask { id, changes }).await {
                Ok(updated) => {
                    let title = updated.title.clone();
                    announcer.say(if updated.completed {
                        t!("task-done", title = title)
                    } else {
                        t!("task-not-done", title = title)
                    });
                    replace(updated)
                }
                Err(e) => on_error.call(e),
            }
        });
    };
    let mut stop_editing = move || {
        returning.set(Some(id));
        editing.set(None);
    };
    let mut save = move || {
        let Some((_, title)) = editing.peek().clone() else { return };
        stop_editing();
        spawn(async move {
            let changes = UpdateTaskRequest { title: Some(title), completed: None };
            match api::call(UpdateTask { id, changes }).await {
                Ok(updated) => {
                    announcer.say(t!("task-renamed", title = updated.title.clone()));
                    replace(updated)
                }
                Err(e) => on_error.call(e),
            }
        });
    };
    let gone = task.title.clone();
    let delete = move |_| {
        let gone = gone.clone();
        spawn(async move {
            match api::call(DeleteTask { id }).await {
                Ok(()) => {
                    tasks.write().retain(|t| t.id != id);
                    announcer.say(t!("task-deleted", title = gone));
                    // The row and its button are gone: the focus goes to the new task's field.
                    focus_when_there("task-input").await;
                }
                Err(e) => on_error.call(e),
            }
        });
    };
    let title = task.title.clone();
    rsx! {
        li { id: "task-{id}", class: if task.completed { "task done" } else { "task" }, "data-title": "{task.title}",
            input {
                r#type: "checkbox",
                class: "task-toggle",
                checked: task.completed,
                aria_label: t!("task-toggle", title = task.title.clone()),
                onchange: toggle,
            }
            if is_editing {
                input {
                    class: "task-edit",
                    r#type: "text",
                    maxlength: "200",
                    aria_label: t!("task-rename-field"),
                    autofocus: true,
                    value: editing.read().as_ref().map(|(_, t)| t.clone()).unwrap_or_default(),
                    oninput: move |e| editing.set(Some((id, e.value()))),
                    // The key's default is stopped: the focus is back on Rename before the key
                    // is released, and Enter would press it again.
                    onkeydown: move |e: KeyboardEvent| match e.key() {
                        Key::Enter => {
                            e.prevent_default();
                            save();
                        }
                        Key::Escape => {
                            e.prevent_default();
                            stop_editing();
                        }
                        _ => {}
                    },
                    onblur: move |_| save(),
                    onmounted: move |e: MountedEvent| async move {
                        let _ = e.set_focus(true).await;
                    },
                }
            } else {
                span { class: "task-title", translate: "no", ondoubleclick: move |_| editing.set(Some((id, title.clone()))), "{task.title}" }
            }
            div { class: "task-actions",
                if !is_editing {
                    button {
                        r#type: "button",
                        class: "ghost task-rename",
                        aria_label: t!("task-rename-label", title = task.title.clone()),
                        onmounted: move |e: MountedEvent| async move {
                            if *returning.peek() == Some(id) {
                                returning.set(None);
                                let _ = e.set_focus(true).await;
                            }
                        },
                        onclick: {
                            let title = task.title.clone();
                            move |_| editing.set(Some((id, title.clone())))
                        },
                        {t!("task-rename")}
                    }
                }
                button {
                    r#type: "button",
                    class: "ghost danger task-delete",
                    aria_label: t!("task-delete-label", title = task.title.clone()),
                    onclick: delete,
                    {t!("task-delete")}
                }
            }
        }
    }
}
