//! Who may join, over HTTP: the server's registration mode, and verifying an address with its
//! mailed code (registration itself is `accounts::register`).

#[cfg(feature = "openapi")]
use authdesk_contract::ErrorBody;
use authdesk_contract::{
    LoginResponse, MessageResponse, RegistrationInfo, ResendVerificationRequest, VerifyEmailRequest,
    VERIFICATION_RESENT,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiError;
use super::extract::{ApiJson, Ctx};
use super::sessions::signed_in;
use super::state::AppState;

/// What a sign-up form should ask for. No authentication: a client asks before anyone signs in.
#[cfg_attr(feature = "openapi", utoipa::path(
    get, path = "/api/auth/registration", operation_id = "registration_info", tag = "auth",
    responses((status = 200, description = "The registration mode and the allowed email domains", body = RegistrationInfo))
))]
pub async fn info(State(state): State<AppState>) -> Json<RegistrationInfo> {
    let registration = &state.auth.registration;
    Json(RegistrationInfo { mode: registration.mode, allowed_domains: registration.allowed_domains.clone() })
}

/// Verifies the address with its mailed code and signs in: the answer is a password sign-in's.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses(
        (status = 200, description = "Verified and signed in", body = LoginResponse),
        (status = 400, description = "Invalid or expired code", body = ErrorBody),
        (status = 401, description = "Verified; the account asks for its second factor (MfaRequiredBody)", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many verification attempts from this client", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn verify(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<VerifyEmailRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let grant = state.auth.verify_email(&req.email, &req.code, &ctx).await?;
    Ok(Json(signed_in(&state, grant).await?))
}

/// 202 whatever the address: whether a code went out is not the caller's to know.
#[cfg_attr(feature = "openapi", utoipa::path(
    post, path = "/api/auth/verify-email/resend", operation_id = "verify_email_resend", tag = "auth", request_body = ResendVerificationRequest,
    responses(
        (status = 202, description = "The same answer for every address", body = MessageResponse),
        (status = 400, description = "Not an email address", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many codes for this address, or attempts from this client", body = ErrorBody),
        (status = 503, description = "Busy or the database is unavailable", body = ErrorBody),
    )
))]
pub async fn resend(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ApiJson(req): ApiJson<ResendVerificationRequest>,
) -> Result<(StatusCode, Json<MessageResponse>), ApiError> {
    state.auth.resend_verification(&req.email, &ctx).await?;
    Ok((StatusCode::ACCEPTED, Json(MessageResponse { message: VERIFICATION_RESENT.into() })))
}
