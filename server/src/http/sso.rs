//! Single sign-on over HTTP: whether the server has it, the start the app opens in the system
//! browser, the provider's callback, and the app's trade of its one-time code for a session.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::SsoInfo;
#[cfg(feature = "sso")]
use authdesk_contract::{LoginResponse, SsoTokenRequest};
#[cfg(feature = "sso")]
use axum::extract::Query;
use axum::extract::State;
#[cfg(feature = "sso")]
use axum::http::{header, StatusCode};
use axum::Json;
#[cfg(feature = "sso")]
use serde::Deserialize;

#[cfg(feature = "sso")]
use super::error::ApiError;
#[cfg(feature = "sso")]
use super::extract::{ApiJson, Ctx};
#[cfg(feature = "sso")]
use super::sessions::signed_in;
use super::state::AppState;
#[cfg(feature = "sso")]
use crate::auth::sso::{SsoCallback, SsoStart};

/// Whether sign-in with the team's provider is offered, and the button's label.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/auth/sso", operation_id = "sso_info", tag = "sso",
    responses((status = 200, description = "Whether single sign-on is set up, and its name", body = SsoInfo))
))]
pub async fn info(State(state): State<AppState>) -> Json<SsoInfo> {
    #[cfg(feature = "sso")]
    if let Some(provider) = &state.auth.sso {
        return Json(SsoInfo { enabled: true, name: Some(provider.settings.name.clone()) });
    }
    let _ = state;
    Json(SsoInfo::default())
}

/// A 303 to `location`.
#[cfg(feature = "sso")]
fn see_other(location: String) -> (StatusCode, [(header::HeaderName, String); 1]) {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)])
}

#[cfg(feature = "sso")]
#[derive(Deserialize)]
pub struct StartQuery {
    redirect_uri: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// The app opens this in the system browser: a 303 to the provider's sign-in.
#[cfg(feature = "sso")]
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/auth/sso/start", operation_id = "sso_start", tag = "sso",
    params(
        ("redirect_uri" = String, Query, description = "The app's loopback URI: http://127.0.0.1:<port>/<path> or http://[::1]:<port>/<path>"),
        ("state" = String, Query, description = "The app's state, given back with the code"),
        ("code_challenge" = String, Query, description = "The S256 challenge of the app's PKCE verifier"),
        ("code_challenge_method" = String, Query, description = "S256"),
    ),
    responses(
        (status = 303, description = "To the provider's sign-in"),
        (status = 400, description = "A redirect URI that is not loopback, or no S256 challenge or state (invalid_redirect_uri)", body = ErrorBody),
        (status = 404, description = "Single sign-on is not set up", body = ErrorBody),
        (status = 429, description = "Too many sign-ins started from this client", body = ErrorBody),
        (status = 503, description = "The provider or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn start(
    State(state): State<AppState>,
    Query(q): Query<StartQuery>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1]), ApiError> {
    let start = SsoStart {
        redirect_uri: q.redirect_uri,
        state: q.state,
        code_challenge: q.code_challenge,
        code_challenge_method: q.code_challenge_method,
    };
    Ok(see_other(state.auth.sso_start(start).await?))
}

#[cfg(feature = "sso")]
#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider sends the browser here; it goes on to the app with a one-time code or an error.
#[cfg(feature = "sso")]
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/auth/sso/callback", operation_id = "sso_callback", tag = "sso",
    params(
        ("code" = Option<String>, Query, description = "The provider's authorization code"),
        ("state" = Option<String>, Query, description = "The server's state"),
        ("error" = Option<String>, Query, description = "The provider's error (access_denied: cancelled)"),
    ),
    responses(
        (status = 303, description = "To the app: ?code=<one-time code>&state=<the app's>, or ?error=<access_denied, email_not_verified, registration_closed, account_disabled, server_error>&error_description=…&state=…"),
        (status = 400, description = "An unknown, spent or expired state (invalid_state): no redirect", body = ErrorBody),
        (status = 404, description = "Single sign-on is not set up", body = ErrorBody),
        (status = 503, description = "The database is unavailable", body = ErrorBody),
    )
))]
pub async fn callback(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<CallbackQuery>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1]), ApiError> {
    let callback = SsoCallback { code: q.code, state: q.state, error: q.error };
    Ok(see_other(state.auth.sso_callback(callback, &ctx).await?))
}

/// The app trades its one-time code and PKCE verifier for a session.
#[cfg(feature = "sso")]
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/sso/token", operation_id = "sso_token", tag = "sso", request_body = SsoTokenRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 400, description = "A wrong, spent or expired code, or another verifier (invalid_grant)", body = ErrorBody),
        (status = 401, description = "The account asks for its second factor (MfaRequiredBody)", body = ErrorBody),
        (status = 403, description = "The account is disabled", body = ErrorBody),
        (status = 404, description = "Single sign-on is not set up", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn token(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<SsoTokenRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let grant = state.auth.sso_token(&req.code, &req.code_verifier, &ctx).await?;
    Ok(Json(signed_in(&state, grant).await?))
}
