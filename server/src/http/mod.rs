//! The HTTP surface: routes, middleware and the mapping of errors to responses.

mod accounts;
mod admin;
pub mod error;
mod events;
mod export;
pub mod extract;
mod health;
mod invitations;
mod jwks;
mod mfa;
#[cfg(feature = "openapi")]
mod openapi;
mod password_reset;
mod registration;
mod request_id;
mod sessions;
mod sso;
pub mod state;
mod task_lists;
mod tasks;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::{RateLimit, TAURI_ORIGINS};
use crate::rate_limit::{
    self, address_key, Scope, LOGIN_BY_ADDRESS, PASSWORD_RESETS_BY_ADDRESS, PASSWORD_RESET_CONFIRMS_BY_ADDRESS,
    REGISTER_BY_ADDRESS, VERIFICATIONS_BY_ADDRESS,
};
pub use error::ApiError;
pub use events::ShuttingDown;
pub use state::AppState;

pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route(
            "/api/auth/register",
            post(accounts::register).route_layer(middleware::from_fn_with_state(state.clone(), limit_registrations)),
        )
        .route(
            "/api/auth/login",
            post(accounts::login).route_layer(middleware::from_fn_with_state(state.clone(), limit_logins)),
        )
        .route(
            "/api/auth/password-reset/request",
            post(password_reset::request)
                .route_layer(middleware::from_fn_with_state(state.clone(), limit_password_resets)),
        )
        .route(
            "/api/auth/password-reset/confirm",
            post(password_reset::confirm)
                .route_layer(middleware::from_fn_with_state(state.clone(), limit_password_reset_confirms)),
        )
        .route("/api/auth/registration", get(registration::info))
        .route(
            "/api/auth/verify-email",
            post(registration::verify).route_layer(middleware::from_fn_with_state(state.clone(), limit_verifications)),
        )
        .route(
            "/api/auth/verify-email/resend",
            post(registration::resend).route_layer(middleware::from_fn_with_state(state.clone(), limit_verifications)),
        )
        .route("/api/auth/sso", get(sso::info))
        .route("/api/auth/me", get(accounts::me).delete(accounts::delete_account))
        .route("/api/account/export", get(export::export))
        .route("/api/auth/password", post(accounts::change_password))
        .route("/api/auth/refresh", post(sessions::refresh))
        .route("/api/auth/logout", post(sessions::logout))
        .route("/api/auth/logout-all", post(sessions::logout_all))
        .route("/api/auth/sessions", get(sessions::list))
        .route("/api/auth/sessions/revoke-others", post(sessions::revoke_others))
        .route("/api/auth/sessions/{id}", delete(sessions::revoke))
        .route("/api/auth/mfa/totp/setup", post(mfa::setup))
        .route("/api/auth/mfa/totp/enable", post(mfa::enable))
        .route("/api/auth/mfa/recovery-codes", post(mfa::recovery_codes))
        .route("/api/auth/mfa/disable", post(mfa::disable))
        .route("/api/auth/mfa/verify", post(mfa::verify))
        .route("/api/admin/users", get(admin::users))
        .route("/api/admin/users/{id}", get(admin::user))
        .route("/api/admin/users/{id}/disable", post(admin::disable))
        .route("/api/admin/users/{id}/enable", post(admin::enable))
        .route("/api/admin/users/{id}/sessions", delete(admin::revoke_sessions))
        .route("/api/admin/audit", get(admin::audit))
        .route("/api/admin/invitations", get(invitations::list).post(invitations::create))
        .route("/api/admin/invitations/{id}", delete(invitations::revoke))
        .route("/api/tasks", get(tasks::list).post(tasks::create))
        .route("/api/tasks/changes", get(tasks::changes))
        .route("/api/tasks/import", post(tasks::import))
        .route("/api/tasks/events", get(events::events))
        .route("/api/tasks/{id}", get(tasks::get).patch(tasks::update).delete(tasks::delete))
        .route("/api/health", get(health::health))
        .route("/health", get(health::health_original))
        .route("/.well-known/jwks.json", get(jwks::jwks));
    #[cfg(feature = "sso")]
    let routes = routes
        .route(
            "/api/auth/sso/start",
            get(sso::start).route_layer(middleware::from_fn_with_state(state.clone(), limit_sso_starts)),
        )
        .route("/api/auth/sso/callback", get(sso::callback))
        .route("/api/auth/sso/token", post(sso::token));
    #[cfg(feature = "openapi")]
    let routes = routes.route("/api/openapi.json", get(openapi::document));
    #[cfg(feature = "metrics")]
    let routes = routes.route_layer(crate::metrics::HttpMetricsLayer);
    routes
        .fallback(|| async { ApiError::NotFound("Not Found".into()) })
        // A 503 (given its `detail` by `ensure_json_errors`) rather than a connection that hangs,
        // when something no narrower timeout covers takes too long: a body trickling in, a chain
        // of statements. A plain tower layer: axum's `from_fn` middleware clones the inner service
        // per request, which cost the hot read path 7 % (BENCHMARKS.md).
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, state.request_timeout))
        .layer(middleware::map_response(error::ensure_json_errors))
        // Every answer is per-user (tokens, tasks): no cache may keep it, no browser may sniff it.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(cors(&state.cors_origins))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
            let id = header(extract::REQUEST_ID).unwrap_or_default();
            // Only what a log line needs to be found again: formatting more costs every request.
            match header(extract::CLIENT_REQUEST_ID) {
                Some(client) => tracing::info_span!("request", request_id = %id, client_request_id = %client),
                None => tracing::info_span!("request", request_id = %id),
            }
        }))
        .layer(request_id::propagate())
        .layer(request_id::propagate_clients())
        .layer(request_id::set())
        .layer(tower::util::MapRequestLayer::new(request_id::sanitize))
        .with_state(state)
}

fn cors(extra: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = TAURI_ORIGINS
        .iter()
        .map(|o| o.to_string())
        .chain(extra.iter().cloned())
        .filter_map(|o| HeaderValue::from_str(o.trim().trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            HeaderName::from_static(extract::REQUEST_ID),
            HeaderName::from_static(extract::CLIENT_REQUEST_ID),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// Counts every login attempt (good or bad, well-formed or not) against the client's address.
async fn limit_logins(State(state): State<AppState>, request: Request, next: Next) -> Response {
    limit_by_address(&state, LOGIN_BY_ADDRESS, state.login_limit, request, next).await
}

/// Counts every registration attempt against the client's address: before the "already
/// registered" answer, so probing which emails have accounts is limited too.
async fn limit_registrations(State(state): State<AppState>, request: Request, next: Next) -> Response {
    limit_by_address(&state, REGISTER_BY_ADDRESS, state.register_limit, request, next).await
}

/// Counts every password reset request against the client's address: one address cannot send
/// codes to many mailboxes.
async fn limit_password_resets(State(state): State<AppState>, request: Request, next: Next) -> Response {
    limit_by_address(&state, PASSWORD_RESETS_BY_ADDRESS, state.password_reset_limit, request, next).await
}

async fn limit_password_reset_confirms(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.password_reset_confirm_limit;
    limit_by_address(&state, PASSWORD_RESET_CONFIRMS_BY_ADDRESS, limit, request, next).await
}

/// Single sign-on starts, against the client's address: each keeps a row for ten minutes.
#[cfg(feature = "sso")]
async fn limit_sso_starts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    limit_by_address(&state, rate_limit::SSO_STARTS_BY_ADDRESS, state.login_limit, request, next).await
}

/// Verification tries and resends together, against the client's address: a code is 8 digits, and
/// each resend mails someone.
async fn limit_verifications(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.auth.registration.verification_by_address;
    limit_by_address(&state, VERIFICATIONS_BY_ADDRESS, limit, request, next).await
}

async fn limit_by_address(
    state: &AppState,
    scope: Scope,
    limit: Option<RateLimit>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(limit) = limit {
        let address = extract::client_ip(request.extensions(), request.headers(), &state.trusted_proxies);
        if let Err(refused) = rate_limit::admit(&state.store, scope, &address_key(address), limit).await {
            return ApiError::from(refused).into_response();
        }
    }
    next.run(request).await
}
