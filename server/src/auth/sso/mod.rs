//! Single sign-on through the team's OpenID provider, for a desktop app (RFC 8252): the app waits
//! on a loopback redirect URI with its own PKCE; the server runs the code flow with the provider
//! (its own `state`, `nonce` and PKCE, its client secret), finds or makes the account, and hands
//! the app a one-time code that only the app's verifier can trade for a session.
//!
//! What the server keeps for a round trip is in the database (so another instance can finish it):
//! the `state` as a hash, the server's PKCE verifier sealed, ten minutes; the one-time code as a
//! hash, sixty seconds. Each works once. Identities are kept by issuer and subject, never by email.

mod identity;
pub mod provider;

use authdesk_contract::sso_error;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::TimeDelta;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{CsrfToken, Nonce, PkceCodeChallenge, Scope};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::audit::{kind, Context};
use super::mfa::constant_time_eq;
use super::{refresh, Auth, AuthError, Grant};
use crate::store::{self, SsoFlow, SsoGrant};

/// How long a sign-in may take at the provider.
const FLOW_TTL: TimeDelta = TimeDelta::minutes(10);
/// How long the app has to trade its one-time code.
const CODE_TTL: TimeDelta = TimeDelta::seconds(60);

/// `GET /api/auth/sso/start`'s parameters, as the app sent them.
#[derive(Debug, Clone, Default)]
pub struct SsoStart {
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// `GET /api/auth/sso/callback`'s parameters, as the provider sent them.
#[derive(Debug, Clone, Default)]
pub struct SsoCallback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// Why a sign-in at the provider did not end in a session: the `error` the app is sent.
struct Refusal {
    error: &'static str,
    description: &'static str,
    /// What the audit log says (none for a cancel at the provider).
    reason: &'static str,
}

const CANCELLED: Refusal = Refusal {
    error: sso_error::ACCESS_DENIED,
    description: "The sign-in was cancelled at the provider.",
    reason: "cancelled",
};
const NOT_VERIFIED: Refusal = Refusal {
    error: sso_error::EMAIL_NOT_VERIFIED,
    description: "The provider has not verified this email address, and an account already uses it.",
    reason: "email_not_verified",
};
const CLOSED: Refusal = Refusal {
    error: sso_error::REGISTRATION_CLOSED,
    description: "This server does not let this address join.",
    reason: "registration_closed",
};
const DISABLED: Refusal =
    Refusal { error: sso_error::ACCOUNT_DISABLED, description: "This account is disabled.", reason: "disabled" };
const FAILED: Refusal = Refusal {
    error: sso_error::SERVER_ERROR,
    description: "The sign-in could not be completed. Please try again.",
    reason: "provider_error",
};

/// Whether `uri` is a loopback redirect URI as RFC 8252 §7.3 has them: `http://127.0.0.1:<port>/…`
/// or `http://[::1]:<port>/…`, with no user, query or fragment.
fn loopback_redirect(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else { return false };
    let host = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(url::Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        _ => false,
    };
    url.scheme() == "http"
        && host
        && url.port().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
}

/// A PKCE verifier or challenge: 43 to 128 of the unreserved characters (RFC 7636 §4.1).
fn pkce_shaped(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The S256 challenge of `verifier`.
fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `redirect_uri` with `pairs` as its query.
fn to_app(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(redirect_uri).expect("checked when the flow started");
    url.query_pairs_mut().extend_pairs(pairs);
    url.into()
}

impl Auth {
    fn provider(&self) -> Result<&provider::Provider, AuthError> {
        self.sso.as_deref().ok_or(AuthError::SsoOff)
    }

    /// The provider's authorization URL for a sign-in the app started, after checking what the app
    /// sent; the round trip is kept for ten minutes.
    pub async fn sso_start(&self, start: SsoStart) -> Result<String, AuthError> {
        let provider = self.provider()?;
        let redirect_uri = start.redirect_uri.filter(|u| loopback_redirect(u)).ok_or(AuthError::InvalidRedirectUri(
            "redirect_uri must be a loopback URI: http://127.0.0.1:<port>/<path> or http://[::1]:<port>/<path>",
        ))?;
        let challenge = start.code_challenge.filter(|c| pkce_shaped(c)).ok_or(AuthError::InvalidRedirectUri(
            "code_challenge is required: the S256 challenge of a PKCE verifier",
        ))?;
        if start.code_challenge_method.as_deref() != Some("S256") {
            return Err(AuthError::InvalidRedirectUri("code_challenge_method must be S256"));
        }
        let app_state = start
            .state
            .filter(|s| !s.is_empty() && s.len() <= 512 && s.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or(AuthError::InvalidRedirectUri("state is required: up to 512 visible characters"))?;
        let client = provider.client(false).await.map_err(|e| AuthError::SsoUnavailable(e.0))?;
        let (state, state_hash) = refresh::generate();
        let (pkce_challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let nonce = Nonce::new_random();
        let scopes = provider.settings.scopes.iter().filter(|s| *s != "openid").map(|s| Scope::new(s.clone()));
        let (url, _, _) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, move || CsrfToken::new(state), {
                let nonce = nonce.clone();
                move || nonce
            })
            .add_scopes(scopes)
            .set_pkce_challenge(pkce_challenge)
            .url();
        let now = store::now();
        let flow = SsoFlow {
            verifier: self.sso_seal.seal(state_hash.as_bytes(), verifier.secret().as_bytes()),
            state_hash,
            nonce: nonce.secret().clone(),
            redirect_uri,
            app_state,
            app_challenge: challenge,
            created_at: now,
            expires_at: now + FLOW_TTL,
        };
        self.store.insert_sso_flow(&flow).await?;
        Ok(url.into())
    }

    /// Where the browser goes from the provider's callback: the app's redirect URI with a one-time
    /// code (or an `error`). An unknown, spent or expired `state` is refused outright: with no
    /// flow there is no app to send the browser to.
    pub async fn sso_callback(&self, callback: SsoCallback, ctx: &Context) -> Result<String, AuthError> {
        let provider = self.provider()?;
        let state_hash = refresh::hash(callback.state.as_deref().unwrap_or_default());
        let flow = self.store.take_sso_flow(&state_hash).await?.filter(|f| f.expires_at > store::now());
        let flow = flow.ok_or(AuthError::UnknownSsoState)?;
        let refuse = |refusal: &Refusal| {
            let pairs =
                [("error", refusal.error), ("error_description", refusal.description), ("state", &flow.app_state)];
            to_app(&flow.redirect_uri, &pairs)
        };
        let audit_refusal = |refusal: &Refusal, subject: Option<&str>| {
            let details = json!({ "reason": refusal.reason, "issuer": provider.settings.issuer, "subject": subject });
            ctx.event(kind::SSO_REFUSED).failed().details(details)
        };
        let code = match (callback.error.as_deref(), callback.code) {
            (None, Some(code)) => code,
            (error, _) => {
                let refusal = if error == Some("access_denied") { &CANCELLED } else { &FAILED };
                self.store.record_audit(&audit_refusal(refusal, None)).await?;
                return Ok(refuse(refusal));
            }
        };
        let identity = match self.identify(provider, &flow, code).await {
            Ok(identity) => identity,
            Err(e) => {
                tracing::warn!(error = %e, "sso: the provider's answer was refused");
                self.store.record_audit(&audit_refusal(&FAILED, None)).await?;
                return Ok(refuse(&FAILED));
            }
        };
        let user = match self.account_for(provider, &identity, ctx).await? {
            Ok(user) => user,
            Err(refusal) => {
                self.store.record_audit(&audit_refusal(refusal, Some(&identity.subject))).await?;
                return Ok(refuse(refusal));
            }
        };
        let (code, code_hash) = refresh::generate();
        let grant = SsoGrant {
            user_id: user.id,
            subject: identity.subject,
            app_challenge: flow.app_challenge.clone(),
            expires_at: store::now() + CODE_TTL,
        };
        self.store.insert_sso_grant(&code_hash, &grant).await?;
        Ok(to_app(&flow.redirect_uri, &[("code", &code), ("state", &flow.app_state)]))
    }

    /// Trades the one-time code (with the verifier of the challenge the app started with) for a
    /// session: the login response, or the second factor's step. A code works once, right
    /// verifier or not.
    pub async fn sso_token(&self, code: &str, verifier: &str, ctx: &Context) -> Result<Grant, AuthError> {
        let provider = self.provider()?;
        let grant = self.store.take_sso_grant(&refresh::hash(code)).await?;
        let grant = grant.filter(|g| g.expires_at > store::now()).ok_or(AuthError::InvalidGrant)?;
        if !pkce_shaped(verifier) || !constant_time_eq(s256(verifier).as_bytes(), grant.app_challenge.as_bytes()) {
            return Err(AuthError::InvalidGrant);
        }
        let user = self.store.user_by_id(grant.user_id).await?.ok_or(AuthError::InvalidGrant)?;
        if user.disabled_at.is_some() {
            return Err(AuthError::AccountDisabled);
        }
        if self.mfa_enabled(&user).await? {
            return Err(self.challenge_second_factor(&user, ctx, None).await?);
        }
        let details = json!({ "method": "sso", "issuer": provider.settings.issuer, "subject": grant.subject });
        let succeeded = ctx.event(kind::LOGIN_SUCCEEDED).details(details);
        self.start_session(&user, ctx, None, succeeded).await?.ok_or(AuthError::InvalidGrant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_redirects_with_a_port_are_taken() {
        for good in ["http://127.0.0.1:53682/callback", "http://[::1]:1/", "http://127.0.0.1:8080/a/b"] {
            assert!(loopback_redirect(good), "{good}");
        }
        for bad in [
            "https://127.0.0.1:53682/callback",
            "http://localhost:53682/callback",
            "http://127.0.0.1/callback",
            "http://127.0.0.2:1/",
            "http://evil.example.com:80/",
            "http://u:p@127.0.0.1:1/",
            "http://127.0.0.1:1/?next=x",
            "http://127.0.0.1:1/#f",
            "tauri://localhost",
            "not a url",
        ] {
            assert!(!loopback_redirect(bad), "{bad}");
        }
    }

    #[test]
    fn pkce_challenges_are_s256_of_a_well_shaped_verifier() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(s256(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(pkce_shaped(verifier));
        assert!(!pkce_shaped("short"));
        assert!(!pkce_shaped(&"a".repeat(129)));
        assert!(!pkce_shaped(&format!("{}+", "a".repeat(50))));
    }
}
