use dioxus::prelude::*;

use super::{LeaveWarning, SyncIndicator};
use crate::state::CurrentUser;
use crate::t;
use crate::Route;

/// The window's frame: a header with the app name, the sync state (remote mode) and the routes
/// that make sense right now.
#[component]
pub fn Frame() -> Element {
    let current = use_context::<CurrentUser>();
    let signed_in = current.user.read().is_some();
    let admin = current.user.read().as_ref().is_some_and(|u| u.role == "admin");
    rsx! {
        // The shortcuts act from anywhere in the window (inside the router, which they use).
        div { class: "frame", onkeydown: super::shortcuts::on_key,
            header { class: "topbar",
                div { class: "brand",
                    img { src: "icon.png", alt: "", width: "28", height: "28" }
                    span { translate: "no", "authdesk" }
                }
                SyncIndicator {}
                nav { aria_label: t!("nav-main"),
                    if signed_in {
                        Link { id: "nav-dashboard", to: Route::Dashboard {}, active_class: "active", {t!("nav-tasks")} }
                    } else {
                        Link { id: "nav-signin", to: Route::SignIn {}, active_class: "active", {t!("nav-sign-in")} }
                    }
                    if signed_in {
                        Link { id: "nav-data", to: Route::YourData {}, active_class: "active", {t!("nav-your-data")} }
                    }
                    if admin {
                        Link { id: "nav-admin", to: Route::Administration {}, active_class: "active",
                            {t!("nav-administration")}
                        }
                    }
                    Link { id: "nav-settings", to: Route::Settings {}, active_class: "active", {t!("nav-settings")} }
                }
            }
            main { class: "content",
                // A screen's module is fetched the first time it is shown (milliseconds, from the
                // app's own files); the frame stays while it comes.
                SuspenseBoundary { fallback: screen_loading,
                    Outlet::<Route> {}
                }
            }
            super::announcer::LiveRegion {}
            LeaveWarning {}
        }
    }
}

/// What shows while a screen's module is fetched: nothing to read (it takes milliseconds), marked
/// busy.
pub fn screen_loading(_: SuspenseContext) -> Element {
    rsx! { div { class: "screen-loading", aria_busy: "true" } }
}
