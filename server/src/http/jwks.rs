//! `GET /.well-known/jwks.json`: the public keys of EdDSA access tokens, for other services.

use authdesk_contract::Jwks;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::Json;

use super::state::AppState;
use crate::auth::signing::JWKS_MAX_AGE;

/// Public, and cacheable for one key lifetime step: a rotation publishes the next key this long
/// before it signs anything.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/.well-known/jwks.json", tag = "keys",
    responses((status = 200, description = "The keys tokens are (or are about to be) signed with, and those still \
        verifying; empty while the server signs with HS256 only", body = Jwks))
))]
pub async fn jwks(State(state): State<AppState>) -> ([(header::HeaderName, HeaderValue); 1], Json<Jwks>) {
    let keys = state.auth.tokens.key_ring().map(|ring| ring.jwks()).unwrap_or(Jwks { keys: Vec::new() });
    let cache = HeaderValue::from_str(&format!("public, max-age={}", JWKS_MAX_AGE.as_secs()))
        .expect("a number is a valid header value");
    ([(header::CACHE_CONTROL, cache)], Json(keys))
}
