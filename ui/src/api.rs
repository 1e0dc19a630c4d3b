//! Calls to the shell's Tauri commands through `window.__TAURI__.core.invoke`
//! (`app.withGlobalTauri`). The commands, their answers and their error are the shell's own types,
//! from `authdesk_contract::desktop`. Nothing here ever carries a token.

use authdesk_contract::desktop::{Command, CommandError, CommandResult};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Runs `command` in the shell: e.g. `api::call(Login { email, password })`.
pub async fn call<C: Command>(command: C) -> CommandResult<C::Output> {
    /// The shell's command functions take the command as their `args` parameter.
    #[derive(Serialize)]
    struct Invoke<C> {
        args: C,
    }
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Invoke { args: command }.serialize(&serializer).map_err(|e| CommandError::local(e.to_string()))?;
    let answer = invoke(C::NAME, args).await?;
    serde_wasm_bindgen::from_value(answer).map_err(|e| CommandError::local(format!("Unexpected answer: {e}")))
}

/// The part of [`call`] that does not depend on the command, written once rather than once per
/// command type.
async fn invoke(name: &str, args: JsValue) -> CommandResult<JsValue> {
    tauri_invoke(name, args).await.map_err(|err| {
        serde_wasm_bindgen::from_value::<CommandError>(err.clone())
            .unwrap_or_else(|_| CommandError::local(err.as_string().unwrap_or_else(|| format!("{err:?}"))))
    })
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    async fn clipboard_write_text(text: &str) -> Result<JsValue, JsValue>;
}

/// Puts `text` on the clipboard; `false` when the webview refused (the text stays selectable).
pub async fn copy(text: &str) -> bool {
    clipboard_write_text(text).await.is_ok()
}
