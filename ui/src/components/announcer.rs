//! One polite live region for the results of work done in the background or away from the focus
//! (a task added, renamed, completed or deleted; a file saved): screen readers say it without the
//! focus moving. The screens call [`Announcer::say`]; the frame renders [`LiveRegion`].

use dioxus::prelude::*;

#[derive(Clone, Copy)]
pub struct Announcer(Signal<(u32, String)>);

impl Announcer {
    pub fn new() -> Self {
        Self(Signal::new((0, String::new())))
    }

    /// Says `message` (again, when it is the same as the last one).
    pub fn say(mut self, message: impl Into<String>) {
        let next = self.0.peek().0.wrapping_add(1);
        self.0.set((next, message.into()));
    }
}

pub fn use_announcer() -> Announcer {
    use_context::<Announcer>()
}

#[component]
pub fn LiveRegion() -> Element {
    let announcer = use_announcer();
    let said = announcer.0.read().clone();
    // Each message in a new element (keyed by its turn), so that a repeated message is a change
    // too and is said again.
    rsx! {
        div { id: "announcer", class: "sr-only", role: "status", aria_live: "polite", aria_atomic: "true",
            for (turn, message) in std::iter::once(said).filter(|(turn, _)| *turn > 0) {
                span { key: "{turn}", "{message}" }
            }
        }
    }
}
