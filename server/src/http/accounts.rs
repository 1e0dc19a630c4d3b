//! Register, log in, and who am I.

use authdesk_contract::{
    check_password, normalize_email, validate_email, LoginRequest, LoginResponse, MeResponse, RegisterRequest,
    RegisterResponse, MAX_EMAIL_LEN, REGISTERED_MESSAGE, TOKEN_TYPE,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::app::AppState;
use crate::store::{self, StoreError, UserRecord};

const EMAIL_TAKEN: &str = "Email already registered";
const BAD_CREDENTIALS: &str = "Invalid email or password";

pub async fn register(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let email = validate_email(&req.email).map_err(|e| ApiError::BadRequest(e.message().into()))?;
    if let Some(rule) = check_password(&req.password).first() {
        return Err(ApiError::BadRequest(rule.message().into()));
    }
    // Spares a taken address the cost of a hash; the unique index still settles races.
    if state.store.user_by_email(&email).await?.is_some() {
        return Err(ApiError::Conflict(EMAIL_TAKEN.into()));
    }
    let user = UserRecord {
        id: Uuid::new_v4(),
        email,
        password_hash: state.hasher.hash(req.password).await,
        created_at: store::now(),
        last_login_at: None,
    };
    match state.store.insert_user(&user).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => return Err(ApiError::Conflict(EMAIL_TAKEN.into())),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = %user.id, "user registered");
    let body = RegisterResponse { user_id: user.id, email: user.email, message: REGISTERED_MESSAGE.into() };
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let email = normalize_email(&req.email);
    let user = if email.is_empty() || email.chars().count() > MAX_EMAIL_LEN {
        None
    } else {
        state.store.user_by_email(&email).await?
    };
    // Unknown email and wrong password take the same path through a full argon2 verification.
    let verified = state.hasher.verify(req.password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let user = match user {
        Some(user) if verified => user,
        _ => return Err(ApiError::Unauthorized(BAD_CREDENTIALS.into())),
    };
    state.store.record_login(user.id, store::now()).await?;
    tracing::info!(user_id = %user.id, "user logged in");
    Ok(Json(LoginResponse {
        access_token: state.tokens.issue(user.id),
        token_type: TOKEN_TYPE.into(),
        user_id: user.id,
        email: user.email,
    }))
}

pub async fn me(CurrentUser(user): CurrentUser) -> Json<MeResponse> {
    Json(MeResponse {
        user_id: user.id,
        email: user.email,
        created_at: user.created_at,
        last_login_at: user.last_login_at,
    })
}
