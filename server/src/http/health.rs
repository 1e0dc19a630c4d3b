use std::time::Duration;

use authdesk_contract::HealthResponse;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::state::AppState;

const PING_TIMEOUT: Duration = Duration::from_secs(3);

/// 200 when the database answers a round trip in time, else 503; the body says which database.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/health", tag = "health",
    responses(
        (status = 200, description = "The database answers", body = HealthResponse),
        (status = 503, description = "The database does not answer", body = HealthResponse),
    )
))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthResponse>) {
    check(&state).await
}

/// The original design's path for the same check.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/health", tag = "health",
    responses(
        (status = 200, description = "The database answers", body = HealthResponse),
        (status = 503, description = "The database does not answer", body = HealthResponse),
    )
))]
pub async fn health_original(State(state): State<AppState>) -> (StatusCode, Json<HealthResponse>) {
    check(&state).await
}

async fn check(state: &AppState) -> (StatusCode, Json<HealthResponse>) {
    let reachable = matches!(tokio::time::timeout(PING_TIMEOUT, state.store.ping()).await, Ok(Ok(())));
    let body = HealthResponse {
        status: if reachable { "healthy" } else { "unhealthy" }.into(),
        database: state.store.kind().name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
        detail: (!reachable).then(|| "The database is unreachable".into()),
    };
    let status = if reachable { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body))
}
