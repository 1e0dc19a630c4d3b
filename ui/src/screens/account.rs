//! The Account section of Settings (signed in only): change the password, two-factor
//! authentication, see and end the account's sessions, delete the account.

use authdesk_contract::desktop::commands::{
    ChangePassword, DeleteAccount, GetAppInfo, ListSessions, RevokeSession, SignOutOthers,
};
use authdesk_contract::desktop::{CommandError, ErrorKind, TOKEN_IN_DATA_FOLDER, TOKEN_IN_KEYCHAIN};
use authdesk_contract::SessionInfo;
use dioxus::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::form::{Checklist, Form, PasswordField, SubmitButton};
use crate::components::time::human_time;
use crate::components::ErrorBanner;
use crate::i18n::errors::{error_text, password_error_text};
use crate::policy::check_password;
use crate::state::CurrentUser;
use crate::t;

use super::two_factor::TwoFactor;

#[component]
pub fn Account() -> Element {
    let info = use_answer(GetAppInfo);
    let storage = match &*info.read() {
        Some(Ok(info)) => info.token_storage.clone(),
        _ => String::new(),
    };
    rsx! {
        section { id: "account", class: "about account", aria_labelledby: "account-title",
            h2 { id: "account-title", {t!("account-title")} }
            p { id: "token-storage", class: "muted small",
                match storage.as_str() {
                    TOKEN_IN_KEYCHAIN => t!("account-token-in-keychain"),
                    TOKEN_IN_DATA_FOLDER => t!("account-token-in-data-folder"),
                    _ => t!("account-token-storage"),
                }
            }
            ChangePasswordForm {}
            TwoFactor {}
            Sessions {}
            DeleteAccountForm {}
        }
    }
}

#[component]
fn ChangePasswordForm() -> Element {
    let current = use_context::<CurrentUser>();
    let mut old = use_signal(String::new);
    let mut new = use_signal(String::new);
    let mut submit = use_action(move || {
        let (entered, wanted) = (old.peek().clone(), new.peek().clone());
        async move {
            if entered.is_empty() {
                return Err(CommandError::rejected(t!("account-current-password-missing")));
            }
            if let Some(rule) = check_password(&wanted).first() {
                return Err(CommandError::rejected(password_error_text(*rule)));
            }
            // The server's answer is always the same sentence: said here in the user's language.
            api::call(ChangePassword { current: entered, new: wanted }).await.map_err(|e| current.check(e))?;
            old.set(String::new());
            new.set(String::new());
            Ok(())
        }
    });

    rsx! {
        Form {
            id: "change-password-form",
            class: "subsection",
            busy: submit.pending(),
            onsubmit: move |_| { submit.call(); },
            h3 { {t!("account-change-password")} }
            PasswordField {
                id: "current-password",
                label: t!("account-current-password"),
                value: old,
                autocomplete: "current-password",
            }
            PasswordField {
                id: "new-password",
                label: t!("account-new-password"),
                value: new,
                autocomplete: "new-password",
                checklist: Checklist { id: "new-checklist", rule_prefix: "new-rule" },
            }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            if submit.succeeded() {
                div { id: "password-changed", class: "banner ok", role: "status", {t!("account-password-changed")} }
            }
            div { class: "row",
                SubmitButton {
                    id: "change-password",
                    label: t!("account-change-password"),
                    busy_label: t!("account-changing"),
                    busy: submit.pending(),
                }
            }
        }
    }
}

/// What the user asked to sign out.
#[derive(Clone, Copy)]
enum Ending {
    One(Uuid),
    AllOthers,
}

#[component]
fn Sessions() -> Element {
    let current = use_context::<CurrentUser>();
    let mut sessions = use_answer(ListSessions);
    let mut end = use_action(move |ending: Ending| async move {
        let ended = match ending {
            Ending::One(id) => api::call(RevokeSession { id }).await.map(|()| t!("account-session-ended")),
            Ending::AllOthers => api::call(SignOutOthers).await.map(|n| t!("account-sessions-others-ended", count = n)),
        }
        .map_err(|e| current.check(e))?;
        sessions.restart();
        Ok::<_, CommandError>(ended)
    });
    let ended = end.value();

    // A refused session while listing: back to sign in (outside render).
    use_effect(move || {
        if let Some(Err(e)) = &*sessions.read() {
            if e.kind == ErrorKind::Unauthorized {
                current.signed_out(Some(error_text(e)));
            }
        }
    });

    let listed = sessions.read().clone();
    let other_count = match &listed {
        Some(Ok(list)) => list.iter().filter(|s| !s.current).count(),
        _ => 0,
    };
    rsx! {
        div { class: "subsection",
            h3 { {t!("account-sessions-heading")} }
            match listed {
                None => rsx! {
                    div { id: "sessions-loading", class: "placeholder", role: "status",
                        div { class: "spinner" }
                        {t!("account-sessions-loading")}
                    }
                },
                Some(Err(e)) => rsx! { ErrorBanner { error: e, on_retry: move |_| sessions.restart() } },
                Some(Ok(list)) if list.is_empty() => rsx! {
                    p { id: "sessions-empty", class: "placeholder", {t!("account-sessions-empty")} }
                },
                Some(Ok(list)) => rsx! {
                    ul { id: "sessions", class: "sessions",
                        for s in list {
                            SessionRow { key: "{s.id}", session: s, busy: end.pending(), on_revoke: move |id| { end.call_with(Ending::One(id)); } }
                        }
                    }
                },
            }
            if let Some(e) = end.failure() {
                ErrorBanner { error: e }
            }
            if let Some(message) = ended {
                div { id: "sessions-ended", class: "banner ok", role: "status", "{message}" }
            }
            div { class: "row",
                button {
                    id: "sign-out-others",
                    r#type: "button",
                    class: "secondary",
                    disabled: end.pending() || other_count == 0,
                    onclick: move |_| { end.call_with(Ending::AllOthers); },
                    {t!("account-sign-out-others")}
                }
            }
        }
    }
}

#[component]
fn SessionRow(session: SessionInfo, busy: bool, on_revoke: EventHandler<Uuid>) -> Element {
    let id = session.id;
    let times = t!(
        "account-session-times",
        last_used = human_time(session.last_used_at),
        signed_in = human_time(session.created_at),
    );
    rsx! {
        li { class: if session.current { "session current" } else { "session" }, "data-current": "{session.current}",
            div { class: "session-text",
                strong { class: "session-label", translate: "no", "{session.label}" }
                small { class: "muted", "{times}" }
            }
            if session.current {
                span { class: "pill", {t!("account-session-this-device")} }
            } else {
                button {
                    r#type: "button",
                    class: "ghost danger session-revoke",
                    aria_label: t!("account-session-sign-out-label", session = session.label.clone()),
                    disabled: busy,
                    onclick: move |_| on_revoke.call(id),
                    {t!("account-session-sign-out")}
                }
            }
        }
    }
}

#[component]
fn DeleteAccountForm() -> Element {
    let current = use_context::<CurrentUser>();
    let password = use_signal(String::new);
    let mut submit = use_action(move || {
        let password = password.peek().clone();
        async move {
            if password.is_empty() {
                return Err(CommandError::rejected(t!("account-delete-password-missing")));
            }
            api::call(DeleteAccount { password }).await.map_err(|e| current.check(e))?;
            current.signed_out(Some(t!("account-deleted")));
            Ok(())
        }
    });

    rsx! {
        Form {
            id: "delete-account-form",
            class: "subsection",
            busy: submit.pending(),
            onsubmit: move |_| { submit.call(); },
            h3 { {t!("account-delete")} }
            p { class: "muted small", {t!("account-delete-warning")} }
            PasswordField {
                id: "delete-password",
                label: t!("account-password"),
                value: password,
                autocomplete: "current-password",
            }
            if let Some(e) = submit.failure() {
                ErrorBanner { error: e }
            }
            div { class: "row",
                SubmitButton {
                    id: "delete-account",
                    label: t!("account-delete"),
                    busy_label: t!("account-deleting"),
                    busy: submit.pending(),
                    class: "secondary danger",
                }
            }
        }
    }
}
