//! Register, log in, who am I, change password, delete account: extract, call the auth service,
//! answer.

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{
    ChangePasswordRequest, DeleteAccountRequest, LoginRequest, LoginResponse, MeResponse, MessageResponse,
    RegisterRequest, RegisterResponse, REGISTERED_MESSAGE, VERIFICATION_SENT,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx, CurrentUser};
use super::sessions::signed_in;
use super::state::AppState;
use crate::auth::{Credentials, Registered};
use crate::store::UserRecord;

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered; in `verified` mode (`verification_required`), the same answer whatever the address's state, and a code is mailed", body = RegisterResponse),
        (status = 400, description = "Invalid email, a password the policy or the breach check refuses, or an invalid invitation", body = ErrorBody),
        (status = 403, description = "The address's domain is not allowed, or the server registers by invitation only", body = ErrorBody),
        (status = 409, description = "Email already registered (not in `verified` mode without an invitation)", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many sign-up attempts from this address", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn register(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    let credentials = Credentials { email: req.email, password: req.password };
    let body = match state.auth.register(credentials, req.invitation_code.as_deref(), &ctx).await? {
        Registered::Created(user) => RegisterResponse {
            user_id: user.id,
            email: user.email,
            message: REGISTERED_MESSAGE.into(),
            verification_required: None,
        },
        Registered::VerificationSent { user_id, email } => {
            RegisterResponse { user_id, email, message: VERIFICATION_SENT.into(), verification_required: Some(true) }
        }
    };
    Ok((StatusCode::CREATED, Json(body)))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Invalid email or password; or, for an account with a second factor and the right password, `Two-factor code required` with `mfa_required`, `mfa_token` and `methods` besides the detail (MfaRequiredBody)", body = ErrorBody),
        (status = 403, description = "The right password for a disabled account; or, on a `verified` server, for an account whose address is not verified (`email_not_verified`, with `verification_required`: EmailNotVerifiedBody)", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many login attempts (address) or failures (account)", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn login(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let credentials = Credentials { email: req.email, password: req.password };
    let grant = state.auth.login(credentials, &ctx).await?;
    Ok(Json(signed_in(&state, grant).await?))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = MeResponse),
        (status = 401, description = "No, or a refused, token", body = ErrorBody),
        (status = 503, description = "The database is unavailable", body = ErrorBody),
    )
))]
pub async fn me(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
) -> Result<Json<MeResponse>, ApiError> {
    Ok(Json(profile(&state, &user).await?))
}

/// The account as `GET /api/auth/me` (and a sign-in's answer) describes it.
pub async fn profile(state: &AppState, user: &UserRecord) -> Result<MeResponse, ApiError> {
    let (mfa_enabled, recovery_codes_left) = state.store.mfa_status(user.id).await?;
    Ok(MeResponse {
        user_id: user.id,
        email: user.email.clone(),
        created_at: user.created_at,
        last_login_at: user.last_login_at,
        mfa_enabled,
        recovery_codes_left,
        role: user.role.as_str().into(),
        email_verified: user.email_verified_at.is_some(),
        linked_providers: state.store.identity_issuers(user.id).await?,
    })
}

/// Changes the password and signs out every other session (and older session-less tokens).
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/password", tag = "auth", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; every other session signed out", body = MessageResponse),
        (status = 400, description = "A new password the policy refuses", body = ErrorBody),
        (status = 401, description = "Wrong current password, or a refused token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many password attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser { user, session_id }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    state.auth.change_password(&user, session_id, req.current_password, req.new_password, &ctx).await?;
    Ok(Json(MessageResponse { message: "Password changed. Other sessions have been signed out.".into() }))
}

/// Deletes the account with everything it owns, after re-checking the password.
#[cfg_attr(feature = "openapi", utoipa::path(
    delete, path = "/api/auth/me", tag = "auth", security(("bearer" = [])), request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "Deleted with everything it owned"),
        (status = 401, description = "Wrong password, or a refused token", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many password attempts", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn delete_account(
    State(state): State<AppState>,
    CurrentUser { user, .. }: CurrentUser,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<DeleteAccountRequest>,
) -> Result<StatusCode, ApiError> {
    state.auth.delete_account(&user, req.password, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
