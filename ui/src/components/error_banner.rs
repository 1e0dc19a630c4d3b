use authdesk_contract::desktop::{CommandError, ErrorKind};
use dioxus::prelude::*;

/// A red banner (`#error`) with the error's sentence; when rate limited, when to try again; when
/// the server is unreachable, a Retry button (`#retry`) if there is something to retry.
#[component]
pub fn ErrorBanner(error: CommandError, on_retry: Option<EventHandler<()>>) -> Element {
    let when = error.retry_after.filter(|_| error.kind == ErrorKind::RateLimited);
    rsx! {
        div { id: "error", class: "banner error", role: "alert",
            p { "{error.message}" }
            if let Some(secs) = when {
                p { id: "retry-after", class: "hint", "You can try again in {secs} s." }
            }
            if error.kind == ErrorKind::Unreachable {
                if let Some(retry) = on_retry {
                    button { id: "retry", r#type: "button", class: "secondary", onclick: move |_| retry.call(()), "Retry" }
                }
            }
        }
    }
}
