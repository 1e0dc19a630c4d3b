//! On the sign-in screen: changes made on this computer by accounts now signed out (their session
//! was refused) that have not reached the server. Signing in sends them; discarding needs a second
//! click.

use authdesk_contract::desktop::commands::{DiscardWaitingChanges, ListWaitingChanges};
use authdesk_contract::desktop::WaitingChanges;
use dioxus::prelude::*;
use uuid::Uuid;

use super::answer::use_answer;
use crate::api;
use crate::t;

#[component]
pub fn WaitingChangesNotice() -> Element {
    let mut waiting = use_answer(ListWaitingChanges);
    let mut confirming = use_signal(|| None::<Uuid>);
    let list: Vec<WaitingChanges> = waiting.read().as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default();
    rsx! {
        for WaitingChanges { user_id, email, waiting: n } in list {
            div { class: "banner info waiting-changes", role: "status", "data-email": "{email}",
                p {
                    strong { {t!("waiting-changes-count", count = n)} }
                    " "
                    {t!("waiting-changes-text", count = n, email = email.clone())}
                }
                if confirming() == Some(user_id) {
                    p { class: "hint bad", {t!("waiting-changes-cannot-undo")} }
                    div { class: "modal-actions",
                        button {
                            class: "primary discard-cancel",
                            r#type: "button",
                            onclick: move |_| confirming.set(None),
                            {t!("waiting-changes-keep", count = n)}
                        }
                        button {
                            class: "secondary danger discard-confirm",
                            r#type: "button",
                            onclick: move |_| {
                                spawn(async move {
                                    let _ = api::call(DiscardWaitingChanges { user_id }).await;
                                    confirming.set(None);
                                    waiting.restart();
                                });
                            },
                            {t!("waiting-changes-discard-confirm", count = n)}
                        }
                    }
                } else {
                    button {
                        class: "link discard-waiting",
                        r#type: "button",
                        onclick: move |_| confirming.set(Some(user_id)),
                        {t!("waiting-changes-discard", count = n)}
                    }
                }
            }
        }
    }
}
