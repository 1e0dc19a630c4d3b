//! The baseline's UI: one screen with a heading, a field and a button. It sets the page title once
//! rendered, as the app's screens do, for the measuring script to see (the window title follows).
use dioxus::prelude::*;

fn main() {
    dioxus::launch(Hello);
}

#[component]
fn Hello() -> Element {
    let mut name = use_signal(String::new);
    use_hook(|| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title("Hello · hello-window");
        }
    });
    rsx! {
        main { class: "hello",
            h1 { "Hello" }
            input { id: "name", value: "{name}", oninput: move |e| name.set(e.value()) }
            button { "Greet" }
        }
    }
}
