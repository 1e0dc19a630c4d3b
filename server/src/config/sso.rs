//! Single sign-on through the team's OpenID Connect provider (`AUTHDESK_OIDC_*`), checked when
//! read: an `https://` issuer (plain `http://` only on loopback), a client, and the public URL the
//! provider sends the browser back to.

use std::fmt;

use super::ConfigError;

/// The provider and this server's client at it. `Debug` never prints the client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The issuer URL, without a trailing slash (discovery is `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    client_secret: String,
    /// What the sign-in button says ("Acme SSO").
    pub name: String,
    pub scopes: Vec<String>,
    /// `<AUTHDESK_PUBLIC_URL>/api/auth/sso/callback`.
    pub callback_url: String,
}

pub const DEFAULT_SCOPES: &str = "openid email profile";

/// Whether `url` is to a loopback host.
fn loopback(url: &reqwest::Url) -> bool {
    match url.host_str() {
        Some(host) => {
            let ip = host.trim_start_matches('[').trim_end_matches(']');
            host.eq_ignore_ascii_case("localhost") || ip.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

impl SsoSettings {
    /// Checks the settings; `public_url` is the server's external base URL.
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        name: &str,
        scopes: &str,
        public_url: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let issuer = issuer.trim().trim_end_matches('/');
        let parsed = reqwest::Url::parse(issuer).map_err(|_| ConfigError::InvalidOidcIssuer(issuer.to_owned()))?;
        let secure = parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback(&parsed));
        if !secure || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(ConfigError::InvalidOidcIssuer(issuer.to_owned()));
        }
        let (client_id, client_secret) = (client_id.trim(), client_secret.trim());
        if client_id.is_empty() || client_secret.is_empty() {
            return Err(ConfigError::MissingOidcClient);
        }
        let public = public_url.map(|u| u.trim().trim_end_matches('/')).filter(|u| !u.is_empty());
        let public = public.ok_or(ConfigError::MissingPublicUrl)?;
        let parsed_public =
            reqwest::Url::parse(public).map_err(|_| ConfigError::InvalidPublicUrl(public.to_owned()))?;
        if !(parsed_public.scheme() == "https" || (parsed_public.scheme() == "http" && loopback(&parsed_public))) {
            return Err(ConfigError::InvalidPublicUrl(public.to_owned()));
        }
        let mut scopes: Vec<String> = scopes.split_whitespace().map(str::to_owned).collect();
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".into());
        }
        let name = match name.trim() {
            "" => "Single sign-on".to_owned(),
            name => name.chars().take(60).collect(),
        };
        Ok(Self {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            name,
            scopes,
            callback_url: format!("{public}/api/auth/sso/callback"),
        })
    }

    /// The client secret: for the token request only, never for a log.
    pub fn client_secret(&self) -> &str {
        &self.client_secret
    }
}

impl fmt::Debug for SsoSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("name", &self.name)
            .field("scopes", &self.scopes)
            .field("callback_url", &self.callback_url)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_https_or_loopback_and_the_secret_is_never_printed() {
        let ok = SsoSettings::new(
            "https://idp.example.com/",
            "authdesk",
            "hunter2",
            "",
            "email",
            Some("https://a.example.com/"),
        )
        .unwrap();
        assert_eq!(ok.issuer, "https://idp.example.com");
        assert_eq!(ok.callback_url, "https://a.example.com/api/auth/sso/callback");
        assert_eq!(ok.scopes, ["openid", "email"]);
        assert_eq!(ok.name, "Single sign-on");
        assert!(!format!("{ok:?}").contains("hunter2"));
        let local = |issuer| SsoSettings::new(issuer, "c", "s", "Acme", DEFAULT_SCOPES, Some("http://127.0.0.1:8000"));
        assert!(local("http://127.0.0.1:9000").is_ok());
        assert!(local("http://[::1]:9000").is_ok());
        assert!(local("http://idp.example.com").is_err(), "plain http off loopback");
        assert!(local("ftp://idp.example.com").is_err());
        assert!(local("https://idp.example.com?x=1").is_err());
        assert_eq!(
            SsoSettings::new("https://i.test", "c", "s", "", "", None).unwrap_err(),
            ConfigError::MissingPublicUrl
        );
        assert_eq!(
            SsoSettings::new("https://i.test", "", "s", "", "", Some("https://a.test")).unwrap_err(),
            ConfigError::MissingOidcClient
        );
    }
}
