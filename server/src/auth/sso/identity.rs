//! Who signed in at the provider, and which account that is: the code traded and the ID token
//! checked, then the account linked by subject, linked by a verified address, or made under the
//! join rules.

use authdesk_contract::{validate_email, RegistrationMode};
use chrono::TimeDelta;
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, Nonce, OAuth2TokenResponse, PkceCodeVerifier,
    SignatureVerificationError, TokenResponse,
};
use serde_json::json;
use uuid::Uuid;

use super::{provider, Refusal, CLOSED, DISABLED, FAILED, FLOW_TTL, NOT_VERIFIED};
use crate::auth::audit::{kind, Context};
use crate::auth::{Auth, AuthError};
use crate::store::{self, SsoFlow, StoreError, UserRecord};

/// Who the provider says signed in.
pub(super) struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
}

impl Auth {
    /// Trades the provider's code and checks its ID token (signature with the provider's keys and
    /// algorithms, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`); the address from the token, else
    /// from the UserInfo endpoint.
    pub(super) async fn identify(
        &self,
        provider: &provider::Provider,
        flow: &SsoFlow,
        code: String,
    ) -> Result<Identity, String> {
        let verifier = self
            .sso_seal
            .open(flow.state_hash.as_bytes(), &flow.verifier)
            .ok_or("the flow's verifier does not open")?;
        let verifier = PkceCodeVerifier::new(String::from_utf8(verifier).map_err(|e| e.to_string())?);
        let client = provider.client(false).await.map_err(|e| e.0)?;
        let answer = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| e.to_string())?
            .set_pkce_verifier(verifier)
            .request_async(&provider.http)
            .await
            .map_err(|e| format!("token request: {e}"))?;
        let id_token = answer.id_token().ok_or("no ID token in the provider's answer")?;
        let nonce = Nonce::new(flow.nonce.clone());
        let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                // Perhaps keys the provider rotated in since they were fetched.
                let fresh = provider.client(true).await.map_err(|e| e.0)?;
                let claims = id_token.claims(&fresh.id_token_verifier(), &nonce).map_err(|e| e.to_string())?;
                claims.clone()
            }
            claims => claims.map_err(|e| e.to_string())?.clone(),
        };
        if claims.authorized_party().is_some_and(|azp| azp.as_str() != provider.settings.client_id) {
            return Err("the ID token was issued to another client (azp)".into());
        }
        let now = chrono::Utc::now();
        if claims.issue_time() > now + TimeDelta::minutes(1) || claims.issue_time() < now - FLOW_TTL {
            return Err("the ID token's iat is out of range".into());
        }
        let subject = claims.subject().as_str().to_owned();
        let (mut email, mut email_verified) =
            (claims.email().map(|e| e.as_str().to_owned()), claims.email_verified().unwrap_or(false));
        if email.is_none() {
            if let Ok(request) = client.user_info(answer.access_token().clone(), Some(claims.subject().clone())) {
                let info: openidconnect::core::CoreUserInfoClaims =
                    request.request_async(&provider.http).await.map_err(|e| format!("userinfo: {e}"))?;
                email = info.email().map(|e| e.as_str().to_owned());
                email_verified = info.email_verified().unwrap_or(false);
            }
        }
        Ok(Identity { subject, email, email_verified })
    }

    /// The account of `identity`: the one linked to it; else the one with its address (linked now,
    /// when the provider verified the address); else a new one, when the join rules allow it.
    pub(super) async fn account_for(
        &self,
        provider: &provider::Provider,
        identity: &Identity,
        ctx: &Context,
    ) -> Result<Result<UserRecord, &'static Refusal>, AuthError> {
        let issuer = provider.settings.issuer.as_str();
        if let Some(id) = self.store.identity(issuer, &identity.subject).await? {
            return Ok(match self.store.user_by_id(id).await? {
                Some(user) if user.disabled_at.is_some() => Err(&DISABLED),
                Some(user) => Ok(user),
                None => Err(&FAILED),
            });
        }
        let Some(email) = identity.email.as_deref().and_then(|e| validate_email(e).ok()) else {
            return Ok(Err(&NOT_VERIFIED));
        };
        let now = store::now();
        let details = json!({ "issuer": issuer, "subject": identity.subject });
        if let Some(user) = self.store.user_by_email(&email).await? {
            if !identity.email_verified {
                return Ok(Err(&NOT_VERIFIED));
            }
            if user.disabled_at.is_some() {
                return Ok(Err(&DISABLED));
            }
            let event = ctx.event(kind::SSO_LINKED).user(user.id, &user.email).details(details);
            self.store.link_identity(issuer, &identity.subject, &user, now, &event).await?;
            return Ok(Ok(user));
        }
        let invite = self.registration.mode == RegistrationMode::Invite;
        if !identity.email_verified || (!invite && !self.registration.domain_allowed(&email)) {
            return Ok(Err(if identity.email_verified { &CLOSED } else { &NOT_VERIFIED }));
        }
        let user = UserRecord {
            id: Uuid::new_v4(),
            email,
            // No password: password sign-in answers the usual 401; a reset sets one.
            password_hash: String::new(),
            created_at: now,
            email_verified_at: Some(now),
            ..Default::default()
        };
        let event = ctx.event(kind::REGISTERED).user(user.id, &user.email).details(json!({ "sso": details }));
        match self.store.register_with_identity(&user, issuer, &identity.subject, invite, &event).await {
            Ok(Some(user)) => Ok(Ok(user)),
            Ok(None) => Ok(Err(&CLOSED)),
            // The address or the identity was taken meanwhile (a double click): once more, by subject.
            Err(StoreError::Conflict) => Ok(Err(&FAILED)),
            Err(e) => Err(e.into()),
        }
    }
}
