//! The OpenID provider as this server knows it: its discovery document and keys, fetched when first
//! needed and kept. A provider that is down does not stop the server: single sign-on answers 503
//! until it is back. An ID token signed with a key the kept set does not have sends for the
//! provider's keys again, at most once a minute (providers rotate keys; a forger must not make us
//! hammer them).

use std::time::{Duration, Instant};

use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, RedirectUrl};
use tokio::sync::Mutex;

use crate::config::SsoSettings;

/// The client at the provider, with its endpoints as discovery gave them.
pub type Oidc =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// How long any one call to the provider may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Keys are fetched again for an unknown `kid` no sooner than this after the last fetch.
const REFETCH_AFTER: Duration = Duration::from_secs(60);

/// The provider could not be reached, or its discovery document was unusable.
#[derive(Debug, thiserror::Error)]
#[error("the sign-in provider is unavailable: {0}")]
pub struct Unavailable(pub String);

pub struct Provider {
    pub settings: SsoSettings,
    pub http: openidconnect::reqwest::Client,
    kept: Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

impl Provider {
    pub fn new(settings: SsoSettings) -> Result<Self, Unavailable> {
        let http = openidconnect::reqwest::Client::builder()
            // Never: a redirect from the provider's endpoints could point the server anywhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(CALL_TIMEOUT)
            .build()
            .map_err(|e| Unavailable(e.to_string()))?;
        Ok(Self { settings, http, kept: Mutex::new(None) })
    }

    /// The client, from the kept discovery (fetched now if there is none, or, with `fresh_keys`,
    /// if the kept one is over a minute old).
    pub async fn client(&self, fresh_keys: bool) -> Result<Oidc, Unavailable> {
        let mut kept = self.kept.lock().await;
        let stale = match &*kept {
            None => true,
            Some((_, fetched)) => fresh_keys && fetched.elapsed() >= REFETCH_AFTER,
        };
        if stale {
            match self.discover().await {
                Ok(metadata) => *kept = Some((metadata, Instant::now())),
                // What was kept still serves (the provider may be back at the next try).
                Err(e) if kept.is_some() => {
                    tracing::warn!(error = %e, "sso: the provider's keys could not be fetched again")
                }
                Err(e) => return Err(e),
            }
        }
        let (metadata, _) = kept.as_ref().expect("discovered or kept above");
        let secret = ClientSecret::new(self.settings.client_secret().to_owned());
        let redirect = RedirectUrl::new(self.settings.callback_url.clone()).map_err(|e| Unavailable(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(secret),
        )
        .set_redirect_uri(redirect))
    }

    async fn discover(&self) -> Result<CoreProviderMetadata, Unavailable> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|e| Unavailable(e.to_string()))?;
        let discovered = CoreProviderMetadata::discover_async(issuer, &self.http);
        match tokio::time::timeout(CALL_TIMEOUT * 2, discovered).await {
            Ok(Ok(metadata)) => Ok(metadata),
            Ok(Err(e)) => Err(Unavailable(e.to_string())),
            Err(_) => Err(Unavailable("discovery did not answer in time".into())),
        }
    }
}
