//! Your data: export and import (both modes), backups and restore, and the move to a team server
//! (embedded mode). One file per part; this one lays them out.

mod backups;
mod moving;
mod transfer;

use authdesk_contract::desktop::data::GetDataOverview;
use dioxus::prelude::*;

use crate::components::answer::use_answer;
use crate::components::{use_screen_for, use_screen_title, ErrorBanner};
use crate::t;
use backups::Backups;
pub use moving::MoveWaiting;
use moving::{MoveProgressPanel, MoveToTeam};
use transfer::{Export, Import};

#[component]
pub fn YourData() -> Element {
    use_screen_title(|| t!("data-title"));
    use_screen_for(true);
    let mut overview = use_answer(GetDataOverview);
    let refresh = move |_| overview.restart();
    let facts = overview.read().clone();

    rsx! {
        section { class: "card data", aria_labelledby: "data-title",
            h1 { id: "data-title", {t!("data-title")} }
            p { class: "muted", {t!("data-intro")} }
            match facts {
                None => rsx! {
                    div { id: "loading", class: "placeholder", role: "status",
                        div { class: "spinner" }
                        {t!("data-loading")}
                    }
                },
                Some(Err(e)) => rsx! { ErrorBanner { error: e } },
                Some(Ok(facts)) => rsx! {
                    if let Some(progress) = facts.moving.clone() {
                        MoveProgressPanel { progress, on_change: refresh }
                    }
                    Export {}
                    Import {}
                    if facts.embedded {
                        Backups { overview: facts.clone(), on_change: refresh }
                        if facts.moving.is_none() {
                            MoveToTeam {}
                        }
                    }
                },
            }
        }
    }
}
