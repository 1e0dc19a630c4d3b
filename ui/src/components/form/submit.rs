use dioxus::prelude::*;

/// A form the browser does not validate or send: submitting it (button or Enter) calls
/// `onsubmit` (which checks what the server would refuse and runs the command), unless the last
/// submission is still `busy`.
#[component]
pub fn Form(
    id: &'static str,
    class: Option<&'static str>,
    busy: bool,
    onsubmit: EventHandler<()>,
    children: Element,
) -> Element {
    rsx! {
        form {
            id,
            class,
            novalidate: true,
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                if !busy {
                    onsubmit.call(());
                }
            },
            {children}
        }
    }
}

/// A form's submit button: disabled and saying `busy_label` while `busy`. `incomplete` marks it
/// `aria-disabled` while the form cannot succeed yet (it still submits, to say why).
#[component]
pub fn SubmitButton(
    id: &'static str,
    label: String,
    busy_label: String,
    busy: bool,
    #[props(default = "primary")] class: &'static str,
    incomplete: Option<bool>,
) -> Element {
    rsx! {
        button { id, r#type: "submit", class, disabled: busy, "aria-disabled": incomplete.map(|i| i.to_string()),
            if busy { "{busy_label}" } else { "{label}" }
        }
    }
}
