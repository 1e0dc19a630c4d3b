//! `GET /api/openapi.json`: the API described from the handlers' own annotations (utoipa), so the
//! document and the routes cannot drift apart: every route of `http::router` is listed here, and a
//! test checks that the two agree.

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    accounts, admin, events, export, health, invitations, jwks, mfa, password_reset, registration, sessions, sso, tasks,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "authdesk",
        description = "Sign-up, sign-in and JWT-protected tasks. Every error is JSON: `{\"detail\": \"…\", \"code\": \"…\"}`: `detail` is a sentence for people (the original design's, exactly), `code` a stable name a program acts on (the ErrorCode schema lists them)."
    ),
    paths(
        accounts::register, accounts::login, accounts::me, accounts::change_password, accounts::delete_account,
        export::export,
        sessions::refresh, sessions::logout, sessions::logout_all, sessions::revoke_others, sessions::list,
        sessions::revoke,
        mfa::setup, mfa::enable, mfa::recovery_codes, mfa::disable, mfa::verify,
        password_reset::request, password_reset::confirm,
        registration::info, registration::verify, registration::resend,
        sso::info, sso::start, sso::callback, sso::token,
        invitations::create, invitations::list, invitations::revoke,
        admin::users, admin::user, admin::disable, admin::enable, admin::revoke_sessions, admin::audit,
        tasks::list, tasks::create, tasks::import, events::events, tasks::changes, tasks::get, tasks::update, tasks::delete,
        health::health, health::health_original, jwks::jwks,
    ),
    components(schemas(
        authdesk_contract::MfaRequiredBody, authdesk_contract::EmailNotVerifiedBody, authdesk_contract::ErrorCode
    )),
    modifiers(&BearerScheme),
    tags(
        (name = "auth", description = "Accounts: register, sign in, who am I, change password, delete"),
        (name = "sessions", description = "Refresh tokens and signing out"),
        (name = "mfa", description = "The second factor (TOTP and recovery codes)"),
        (name = "password-reset", description = "A mailed (or administrator's) code for a forgotten password"),
        (name = "sso", description = "Single sign-on through the team's OpenID provider (RFC 8252: system browser, loopback redirect, PKCE)"),
        (name = "admin", description = "Administrators only"),
        (name = "tasks", description = "The signed-in user's tasks"),
        (name = "health", description = "Is the server, and its database, up"),
        (name = "keys", description = "The public keys of EdDSA access tokens (AUTHDESK_TOKEN_SIGNING=eddsa)"),
    )
)]
pub struct ApiDoc;

/// `Authorization: Bearer <access token>` (a JWT: HS256, or EdDSA with a `kid` from the JWKS).
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The document, built once.
static DOCUMENT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| ApiDoc::openapi().to_json().expect("the OpenAPI document serialises"));

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}
