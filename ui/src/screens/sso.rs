//! "Sign in with <provider>" on the sign-in screen of a team server that offers it: the shell opens
//! the system browser and waits for it; this shows that it waits, with Cancel, and what went wrong
//! in words when it did.

use authdesk_contract::desktop::commands::{CancelSso, GetSso, SignInWithSso};
use authdesk_contract::desktop::{ErrorKind, SignInStep};
use dioxus::prelude::*;

use crate::api;
use crate::components::action::use_action;
use crate::components::answer::use_answer;
use crate::components::ErrorBanner;
use crate::t;

/// The button (nothing when the server has no single sign-on); `on_step` gets where the sign-in
/// led (signed in, or the second factor's step).
#[component]
pub fn SsoSignIn(on_step: EventHandler<SignInStep>) -> Element {
    let info = use_answer(GetSso);
    let mut sign_in = use_action(move || async move {
        let step = api::call(SignInWithSso).await?;
        on_step.call(step);
        Ok(())
    });
    let Some(Ok(info)) = info.read().clone() else { return rsx! {} };
    let (true, Some(name)) = (info.enabled, info.name) else { return rsx! {} };
    // A cancel the user asked for is no error to show (the shell's English message is not shown).
    let failure = sign_in
        .failure()
        .filter(|e| !(e.kind == ErrorKind::Rejected && e.status.is_none() && e.message == "Single sign-on cancelled"));

    rsx! {
        div { id: "sso", class: "sso",
            if sign_in.pending() {
                div { id: "sso-waiting", class: "banner info", role: "status", aria_live: "polite",
                    p { {t!("sso-waiting", provider = name.clone())} }
                    button {
                        id: "sso-cancel",
                        r#type: "button",
                        class: "secondary",
                        onclick: move |_| { spawn(async move { let _ = api::call(CancelSso).await; }); },
                        {t!("sso-cancel")}
                    }
                }
            } else {
                if let Some(e) = failure {
                    ErrorBanner { error: e }
                }
                button {
                    id: "sso-sign-in",
                    r#type: "button",
                    class: "secondary wide",
                    onclick: move |_| sign_in.call(),
                    {t!("sso-sign-in", provider = name.clone())}
                }
                p { class: "divider", {t!("sso-divider")} }
            }
        }
    }
}
