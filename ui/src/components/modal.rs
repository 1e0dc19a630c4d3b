//! A modal dialog: it takes the focus when it opens (its first button, or the one marked
//! `autofocus`), keeps Tab and Shift+Tab inside it, closes on Escape, and gives the focus back to
//! where it was when it closes, as WAI-ARIA's dialog pattern asks.

use dioxus::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn focusable_in(id: &str) -> Vec<web_sys::HtmlElement> {
    let Some(list) =
        document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.query_selector_all(FOCUSABLE).ok())
    else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

fn focused() -> Option<web_sys::HtmlElement> {
    document()?.active_element()?.dyn_into::<web_sys::HtmlElement>().ok()
}

fn is_body(element: &web_sys::HtmlElement) -> bool {
    element.tag_name().eq_ignore_ascii_case("body")
}

/// `role` is "dialog", or "alertdialog" for one that asks about something urgent. `return_to`:
/// the element (by id) the focus goes back to when none had it as the dialog opened (e.g. the
/// button that opened it was disabled while its work ran).
#[component]
pub fn Modal(
    id: &'static str,
    role: &'static str,
    labelled_by: &'static str,
    described_by: Option<&'static str>,
    return_to: Option<&'static str>,
    on_escape: EventHandler<()>,
    children: Element,
) -> Element {
    // What had the focus before, to give it back (a plain value: it never changes).
    let before = use_hook(|| focused().filter(|e| !is_body(e)).map(std::rc::Rc::new));
    use_drop(move || {
        let target = match before.as_deref() {
            Some(element) => Some(element.clone()),
            None => return_to
                .and_then(|id| document()?.get_element_by_id(id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
        };
        if let Some(element) = target {
            // After the closing render, which may enable it again (a task of the app's, not of
            // this dialog's scope, which is going away).
            wasm_bindgen_futures::spawn_local(async move {
                crate::api::sleep(0).await;
                let _ = element.focus();
            });
        }
    });
    rsx! {
        div { class: "modal-backdrop",
            div {
                id,
                class: "card narrow modal",
                role,
                aria_modal: "true",
                aria_labelledby: labelled_by,
                aria_describedby: described_by,
                onmounted: move |_| {
                    let fields = focusable_in(id);
                    let first = fields.iter().find(|e| e.has_attribute("autofocus")).or(fields.first());
                    if let Some(first) = first {
                        let _ = first.focus();
                    }
                },
                onkeydown: move |event: KeyboardEvent| match event.key() {
                    Key::Escape => {
                        event.prevent_default();
                        on_escape.call(());
                    }
                    Key::Tab => {
                        let fields = focusable_in(id);
                        let (Some(first), Some(last)) = (fields.first(), fields.last()) else { return };
                        let now = focused();
                        let backwards = event.modifiers().shift();
                        let wrap_to = match (backwards, now.as_ref()) {
                            (true, Some(n)) if n == first => Some(last),
                            (false, Some(n)) if n == last => Some(first),
                            _ => None,
                        };
                        if let Some(target) = wrap_to {
                            event.prevent_default();
                            let _ = target.focus();
                        }
                    }
                    _ => {}
                },
                {children}
            }
        }
    }
}
