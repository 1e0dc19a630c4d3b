//! Typed calls to the shell's Tauri commands through `window.__TAURI__.core.invoke`
//! (`app.withGlobalTauri`). Nothing here ever carries a token.

use authdesk_contract::{HealthResponse, MeResponse, SessionInfo as DeviceSession, Task};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// The shell's error: `kind` is one of unauthorized, rate_limited, unreachable, rejected,
/// server, local.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApiError {
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
}

impl ApiError {
    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }

    fn local(message: String) -> Self {
        Self { kind: "local".into(), message, retry_after: None, status: None }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

async fn call<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> ApiResult<T> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|e| ApiError::local(e.to_string()))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => {
            serde_wasm_bindgen::from_value(value).map_err(|e| ApiError::local(format!("Unexpected answer: {e}")))
        }
        Err(err) => Err(serde_wasm_bindgen::from_value::<ApiError>(err.clone())
            .unwrap_or_else(|_| ApiError::local(err.as_string().unwrap_or_else(|| format!("{err:?}"))))),
    }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct Credentials<'a> {
    email: &'a str,
    password: &'a str,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SessionInfo {
    pub user_id: Uuid,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Backend {
    Embedded,
    Remote { url: String },
}

impl Backend {
    pub fn describe(&self) -> String {
        match self {
            Backend::Embedded => "Embedded server (this computer)".into(),
            Backend::Remote { url } => url.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub backend: Backend,
    pub theme: Option<String>,
    /// Where the refresh token is kept: "the system keychain" or the data folder.
    #[serde(default)]
    pub token_storage: String,
}

pub async fn register(email: &str, password: &str) -> ApiResult<SessionInfo> {
    call("register", &Credentials { email, password }).await
}

pub async fn login(email: &str, password: &str) -> ApiResult<SessionInfo> {
    call("login", &Credentials { email, password }).await
}

/// `true` when the server revoked the session; `false` when it could not be reached (the session
/// is forgotten on this computer either way).
pub async fn logout() -> ApiResult<bool> {
    call("logout", &NoArgs {}).await
}

pub async fn restore_session() -> ApiResult<Option<MeResponse>> {
    call("restore_session", &NoArgs {}).await
}

pub async fn me() -> ApiResult<MeResponse> {
    call("me", &NoArgs {}).await
}

pub async fn list_tasks() -> ApiResult<Vec<Task>> {
    call("list_tasks", &NoArgs {}).await
}

pub async fn create_task(title: &str) -> ApiResult<Task> {
    #[derive(Serialize)]
    struct Args<'a> {
        title: &'a str,
    }
    call("create_task", &Args { title }).await
}

#[derive(Serialize)]
struct UpdateArgs<'a> {
    id: Uuid,
    title: Option<&'a str>,
    completed: Option<bool>,
}

pub async fn rename_task(id: Uuid, title: &str) -> ApiResult<Task> {
    call("update_task", &UpdateArgs { id, title: Some(title), completed: None }).await
}

pub async fn set_task_done(id: Uuid, completed: bool) -> ApiResult<Task> {
    call("update_task", &UpdateArgs { id, title: None, completed: Some(completed) }).await
}

pub async fn delete_task(id: Uuid) -> ApiResult<()> {
    #[derive(Serialize)]
    struct Args {
        id: Uuid,
    }
    call("delete_task", &Args { id }).await
}

pub async fn get_settings() -> ApiResult<Backend> {
    call("get_settings", &NoArgs {}).await
}

pub async fn set_settings(backend: &Backend) -> ApiResult<Backend> {
    #[derive(Serialize)]
    struct Args<'a> {
        backend: &'a Backend,
    }
    call("set_settings", &Args { backend }).await
}

pub async fn test_connection(backend: &Backend) -> ApiResult<HealthResponse> {
    #[derive(Serialize)]
    struct Args<'a> {
        backend: &'a Backend,
    }
    call("test_connection", &Args { backend }).await
}

pub async fn app_info() -> ApiResult<AppInfo> {
    call("app_info", &NoArgs {}).await
}

/// Changes the password; the answer is the server's message (other sessions are signed out).
pub async fn change_password(current: &str, new: &str) -> ApiResult<String> {
    #[derive(Serialize)]
    struct Args<'a> {
        current: &'a str,
        new: &'a str,
    }
    call("change_password", &Args { current, new }).await
}

pub async fn list_sessions() -> ApiResult<Vec<DeviceSession>> {
    call("list_sessions", &NoArgs {}).await
}

pub async fn revoke_session(id: Uuid) -> ApiResult<()> {
    #[derive(Serialize)]
    struct Args {
        id: Uuid,
    }
    call("revoke_session", &Args { id }).await
}

/// Signs out every other session; the answer is how many were ended.
pub async fn sign_out_others() -> ApiResult<usize> {
    call("sign_out_others", &NoArgs {}).await
}

/// Deletes the account (the password is checked again); the shell forgets the session.
pub async fn delete_account(password: &str) -> ApiResult<()> {
    #[derive(Serialize)]
    struct Args<'a> {
        password: &'a str,
    }
    call("delete_account", &Args { password }).await
}
