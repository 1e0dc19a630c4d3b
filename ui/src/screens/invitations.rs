//! Invitations (the administration screen): invite an address as a user or an administrator, the
//! code shown this once with a copy button, the pending ones with their expiry, revoke. Loading,
//! empty and error states.

use authdesk_contract::desktop::commands::{AdminInvite, AdminListInvitations, AdminRevokeInvitation};
use authdesk_contract::desktop::CommandError;
use authdesk_contract::Invitation;
use dioxus::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::components::action::use_action;
use crate::components::form::{Form, SubmitButton};
use crate::components::time::human_time;
use crate::components::ErrorBanner;
use crate::i18n::errors::email_error_text;
use crate::policy::validate_email;
use crate::state::CurrentUser;
use crate::t;

/// A role as the screens name it (the server's own name for one it does not know).
fn role_name(role: &str) -> String {
    match role {
        "admin" => t!("admin-role-admin"),
        "user" => t!("admin-role-user"),
        other => other.to_owned(),
    }
}

/// What follows the address in the notice of an invitation just made.
fn made_after(invitation: &Invitation) -> String {
    t!("invitations-made-after", role = role_name(&invitation.role), until = human_time(invitation.expires_at))
}

/// A pending invitation's role and expiry.
fn pending_facts(invitation: &Invitation) -> String {
    t!("invitations-pending-facts", role = role_name(&invitation.role), expires = human_time(invitation.expires_at))
}

#[component]
pub fn Invitations() -> Element {
    let current = use_context::<CurrentUser>();
    let mut pending = use_signal(Vec::<Invitation>::new);
    let mut loading = use_signal(|| true);
    let mut error = use_signal(|| None::<CommandError>);
    let mut email = use_signal(String::new);
    let mut role = use_signal(|| "user".to_owned());
    // The invitation just made, with its code: shown until the next one.
    let mut made = use_signal(|| None::<Invitation>);
    let mut copied = use_signal(|| None::<bool>);

    let mut load = move || {
        loading.set(true);
        spawn(async move {
            match api::call(AdminListInvitations).await {
                Ok(list) => {
                    pending.set(list.invitations);
                    error.set(None);
                }
                Err(e) => error.set(Some(current.check(e))),
            }
            loading.set(false);
        });
    };
    use_hook(load);

    let mut invite = use_action(move || {
        let (address, as_role) = (email.peek().trim().to_owned(), role.peek().clone());
        async move {
            validate_email(&address).map_err(|e| CommandError::rejected(email_error_text(e)))?;
            let invitation =
                api::call(AdminInvite { email: address, role: as_role }).await.map_err(|e| current.check(e))?;
            email.set(String::new());
            copied.set(None);
            made.set(Some(invitation));
            load();
            Ok::<_, CommandError>(())
        }
    });
    let revoke = move |id: Uuid| {
        spawn(async move {
            match api::call(AdminRevokeInvitation { id }).await {
                Ok(()) => {
                    if made.peek().as_ref().is_some_and(|m| m.id == id) {
                        made.set(None);
                    }
                    load();
                }
                Err(e) => error.set(Some(current.check(e))),
            }
        });
    };
    let listed = pending.read().clone();

    rsx! {
        div { class: "subsection", id: "invitations-section",
            h2 { {t!("invitations-heading")} }
            Form {
                id: "invite-form",
                busy: invite.pending(),
                onsubmit: move |_| { invite.call(); },
                div { class: "row invite-row",
                    input {
                        id: "invite-email",
                        r#type: "email",
                        placeholder: "name@example.com",
                        aria_label: t!("invitations-email-label"),
                        value: "{email}",
                        oninput: move |e| email.set(e.value()),
                    }
                    select {
                        id: "invite-role",
                        aria_label: t!("invitations-role-label"),
                        value: "{role}",
                        onchange: move |e| role.set(e.value()),
                        option { value: "user", {t!("invitations-role-option-user")} }
                        option { value: "admin", {t!("invitations-role-option-admin")} }
                    }
                    SubmitButton {
                        id: "invite-submit",
                        label: t!("invitations-invite"),
                        busy_label: t!("invitations-inviting"),
                        busy: invite.pending(),
                        class: "secondary",
                    }
                }
            }
            if let Some(e) = invite.failure() {
                ErrorBanner { error: e }
            }
            if let Some(invitation) = made() {
                div { id: "invite-made", class: "banner ok", role: "status",
                    p {
                        {t!("invitations-made-before")}
                        strong { "{invitation.email}" }
                        {made_after(&invitation)}
                    }
                    div { class: "row tight",
                        code { id: "invite-code", class: "secret", "{invitation.code.clone().unwrap_or_default()}" }
                        button {
                            id: "invite-copy",
                            r#type: "button",
                            class: "secondary",
                            onclick: move |_| {
                                let code = made.peek().as_ref().and_then(|m| m.code.clone()).unwrap_or_default();
                                spawn(async move { copied.set(Some(api::copy(&code).await)); });
                            },
                            {t!("invitations-copy")}
                        }
                    }
                    match copied() {
                        Some(true) => rsx! { p { id: "invite-copied", class: "hint", {t!("invitations-copied")} } },
                        Some(false) => rsx! {
                            p { id: "invite-copied", class: "hint bad", {t!("invitations-copy-failed")} }
                        },
                        None => rsx! {},
                    }
                }
            }
            if let Some(e) = error() {
                ErrorBanner { error: e, on_retry: move |_| load() }
            }
            if loading() && listed.is_empty() {
                div { id: "invitations-loading", class: "placeholder", role: "status",
                    div { class: "spinner" }
                    {t!("invitations-loading")}
                }
            } else if listed.is_empty() && error().is_none() {
                p { id: "invitations-empty", class: "placeholder", {t!("invitations-empty")} }
            } else {
                ul { id: "invitations", class: "sessions",
                    for invitation in listed {
                        li { key: "{invitation.id}", class: "session invitation", "data-email": "{invitation.email}",
                            div { class: "session-text",
                                strong { class: "session-label", "{invitation.email}" }
                                small { class: "muted", {pending_facts(&invitation)} }
                            }
                            button {
                                r#type: "button",
                                class: "ghost danger invitation-revoke",
                                aria_label: t!("invitations-revoke-label", email = invitation.email.clone()),
                                onclick: move |_| revoke(invitation.id),
                                {t!("invitations-revoke")}
                            }
                        }
                    }
                }
            }
        }
    }
}
