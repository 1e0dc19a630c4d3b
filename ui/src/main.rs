//! The authdesk desktop UI. It runs in the Tauri webview, the least trusted part of the app: it
//! never sees a token, and it reaches the server only through the shell's commands ([`api`]).

mod api;
mod components;
mod i18n;
mod policy;
mod route;
mod screens;
mod state;

use authdesk_contract::desktop::commands::GetAppInfo;
use dioxus::prelude::*;

use components::answer::use_answer;
pub use route::Route;
use state::{CurrentUser, SyncWatch};

fn main() {
    dioxus::launch(App);
}

/// Restores the session (if the shell still has a valid one) before showing any screen.
#[component]
fn App() -> Element {
    let current = use_context_provider(CurrentUser::new);
    let sync = use_context_provider(SyncWatch::new);
    use_context_provider(components::announcer::Announcer::new);
    let info = use_answer(GetAppInfo);
    let theme = info.read().as_ref().and_then(|r| r.as_ref().ok()).and_then(|i| i.theme.clone());
    // The shell's language (the system's, or the one chosen in Settings) once it has said.
    use_effect(move || {
        if let Some(Ok(info)) = &*info.read() {
            let language = i18n::Language::from_tag(&info.language).unwrap_or_default();
            spawn(i18n::set_language(language));
        }
    });
    use_hook(move || {
        spawn(async move { current.restore().await });
        spawn(sync.follow());
    });
    rsx! {
        div { class: "app", "data-theme": theme,
            if *current.booting.read() {
                div { id: "booting", class: "boot", role: "status", aria_live: "polite",
                    div { class: "spinner", aria_hidden: "true" }
                    p { {t!("app-starting")} }
                }
            } else {
                // The screen outside the frame (not found) loads its module too.
                SuspenseBoundary { fallback: components::screen_loading,
                    Router::<Route> {}
                }
            }
        }
    }
}
