use authdesk_contract::desktop::{CommandError, ErrorKind};
use dioxus::prelude::*;

use crate::i18n::errors::error_text;
use crate::t;

/// A red banner (`#error`) with the error's sentence in the user's language; when rate limited, when to try again; when
/// the server is unreachable, a Retry button (`#retry`) if there is something to retry.
#[component]
pub fn ErrorBanner(error: CommandError, on_retry: Option<EventHandler<()>>) -> Element {
    let when = error.retry_after.filter(|_| error.kind == ErrorKind::RateLimited);
    rsx! {
        div { id: "error", class: "banner error", role: "alert",
            p { {error_text(&error)} }
            if let Some(secs) = when {
                p { id: "retry-after", class: "hint", {t!("error-retry-after", seconds = secs)} }
            }
            if error.kind == ErrorKind::Unreachable {
                if let Some(retry) = on_retry {
                    button { id: "retry", r#type: "button", class: "secondary", onclick: move |_| retry.call(()),
                        {t!("action-retry")}
                    }
                }
            }
        }
    }
}
