//! Register, log in, who am I, change password, delete account.

use authdesk_contract::{
    check_password, validate_email, ChangePasswordRequest, DeleteAccountRequest, LoginRequest, LoginResponse,
    MeResponse, MessageResponse, RegisterRequest, RegisterResponse, REGISTERED_MESSAGE,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use super::sessions;
use crate::app::AppState;
use crate::rate_limit::{self, FAILED_LOGIN_BY_ACCOUNT};
use crate::store::{self, StoreError, UserRecord};

const EMAIL_TAKEN: &str = "Email already registered";
const BAD_CREDENTIALS: &str = "Invalid email or password";

fn password_policy(password: &str) -> Result<(), ApiError> {
    match check_password(password).first() {
        Some(rule) => Err(ApiError::BadRequest(rule.message().into())),
        None => Ok(()),
    }
}

pub async fn register(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let email = validate_email(&req.email).map_err(|e| ApiError::BadRequest(e.message().into()))?;
    password_policy(&req.password)?;
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
        tokens_not_before: None,
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
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    // No account can have an invalid address, so none is looked up (or counted against).
    let email = validate_email(&req.email).ok();
    let lockout = state.account_lockout.zip(email.as_deref());
    let mut recent_failures = 0;
    if let Some((limit, email)) = lockout {
        recent_failures = rate_limit::ensure_not_locked(&*state.store, FAILED_LOGIN_BY_ACCOUNT, email, limit).await?;
    }
    let user = match &email {
        Some(email) => state.store.user_by_email(email).await?,
        None => None,
    };
    // Unknown email and wrong password take the same path through a full password verification.
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let verification = state.hasher.verify(req.password.clone(), stored_hash).await;
    let user = match user {
        Some(user) if verification.matches => user,
        _ => {
            if let Some((_, email)) = lockout {
                state.store.add_attempt(FAILED_LOGIN_BY_ACCOUNT, email, store::now()).await?;
            }
            return Err(ApiError::Unauthorized(BAD_CREDENTIALS.into()));
        }
    };
    // A success forgives earlier failures; with none to forgive, skip the write.
    if let Some((_, email)) = lockout.filter(|_| recent_failures > 0) {
        state.store.clear_attempts(FAILED_LOGIN_BY_ACCOUNT, email).await?;
    }
    if verification.outdated {
        // A bcrypt hash from the original design, or older argon2 parameters: now that the
        // password is known, store it the current way.
        let upgraded = state.hasher.hash(req.password).await;
        if state.store.upgrade_password_hash(user.id, &user.password_hash, &upgraded).await? {
            tracing::info!(user_id = %user.id, "password hash upgraded to argon2id");
        }
    }
    state.store.record_login(user.id, store::now()).await?;
    tracing::info!(user_id = %user.id, "user logged in");
    Ok(Json(sessions::start(&state, &user, &headers).await?))
}

pub async fn me(CurrentUser { user, .. }: CurrentUser) -> Json<MeResponse> {
    Json(MeResponse {
        user_id: user.id,
        email: user.email,
        created_at: user.created_at,
        last_login_at: user.last_login_at,
    })
}

/// Changes the password and signs out every other session (and older session-less tokens).
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser { user, session_id }: CurrentUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    if !state.hasher.verify(req.current_password, Some(user.password_hash.clone())).await.matches {
        return Err(ApiError::Unauthorized("Current password is incorrect".into()));
    }
    password_policy(&req.new_password)?;
    let new_hash = state.hasher.hash(req.new_password).await;
    state.store.change_password(user.id, &new_hash, session_id, store::now()).await?;
    tracing::info!(user_id = %user.id, "password changed; other sessions revoked");
    Ok(Json(MessageResponse { message: "Password changed. Other sessions have been signed out.".into() }))
}

/// Deletes the account with everything it owns, after re-checking the password.
pub async fn delete_account(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    ApiJson(req): ApiJson<DeleteAccountRequest>,
) -> Result<StatusCode, ApiError> {
    if !state.hasher.verify(req.password, Some(user.password_hash.clone())).await.matches {
        return Err(ApiError::Unauthorized("Password is incorrect".into()));
    }
    state.store.delete_user(user.id, &user.email).await?;
    tracing::info!(user_id = %user.id, "account deleted");
    Ok(StatusCode::NO_CONTENT)
}
