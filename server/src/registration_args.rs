//! `authdesk-server serve`'s settings for accounts: who may join and how (registration, single
//! sign-on), and what an account may take away (exports). The README's table lists them.

use std::time::Duration;

use authdesk_server::config::{
    parse_allowed_domains, parse_registration_mode, parse_switch, ConfigError, SsoSettings, DEFAULT_OIDC_SCOPES,
};
use authdesk_server::{Config, RateLimit};
use clap::Args;

#[derive(Args)]
pub struct RegistrationArgs {
    /// Who may create an account: `open` (anyone), `verified` (anyone, signed in once a mailed
    /// code is entered; needs mail) or `invite` (only with an administrator's invitation).
    #[arg(long, env = "AUTHDESK_REGISTRATION", default_value = "open")]
    registration: String,
    /// Only addresses of these domains may register (comma-separated, exact: a subdomain is
    /// another domain); empty: any. Invitations are allowed for any address.
    #[arg(long, env = "AUTHDESK_ALLOWED_EMAIL_DOMAINS", default_value = "")]
    allowed_email_domains: String,
    /// Days an invitation works.
    #[arg(long, env = "AUTHDESK_INVITATION_DAYS", default_value_t = 7)]
    invitation_days: u32,
    /// Days after which an account registered on a `verified` server and never verified is deleted.
    #[arg(long, env = "AUTHDESK_UNVERIFIED_ACCOUNT_DAYS", default_value_t = 7)]
    unverified_account_days: u32,
    /// Verification codes mailed per address (registrations and resends).
    #[arg(long, env = "AUTHDESK_VERIFICATION_EMAIL_LIMIT", default_value = "5/hour")]
    verification_email_limit: String,
    /// Verification tries and resends per client address.
    #[arg(long, env = "AUTHDESK_VERIFICATION_ADDRESS_LIMIT", default_value = "30/hour")]
    verification_address_limit: String,
    /// Registrations with an invitation code per client address.
    #[arg(long, env = "AUTHDESK_INVITATION_ADDRESS_LIMIT", default_value = "10/hour")]
    invitation_address_limit: String,
    /// Mail the owner when their account signs in from a new client: `on` or `off` [default: on
    /// when mail is configured]
    #[arg(long, env = "AUTHDESK_SIGN_IN_ALERTS", default_value = "")]
    sign_in_alerts: String,
    /// The server's external base URL, as its users reach it (named in invitation mail; single
    /// sign-on's callback is <it>/api/auth/sso/callback).
    #[arg(long, env = "AUTHDESK_PUBLIC_URL")]
    public_url: Option<String>,
    /// Single sign-on: the OpenID provider's issuer URL (https://, or http:// on loopback).
    #[arg(long, env = "AUTHDESK_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// This server's client id at the provider.
    #[arg(long, env = "AUTHDESK_OIDC_CLIENT_ID", default_value = "")]
    oidc_client_id: String,
    /// This server's client secret at the provider.
    #[arg(long, env = "AUTHDESK_OIDC_CLIENT_SECRET", default_value = "", hide_env_values = true)]
    oidc_client_secret: String,
    /// The sign-in button's label, e.g. "Acme SSO".
    #[arg(long, env = "AUTHDESK_OIDC_NAME", default_value = "")]
    oidc_name: String,
    /// The scopes asked for.
    #[arg(long, env = "AUTHDESK_OIDC_SCOPES", default_value = DEFAULT_OIDC_SCOPES)]
    oidc_scopes: String,
    /// Exports (GET /api/account/export) per account.
    #[arg(long, env = "AUTHDESK_EXPORT_LIMIT", default_value = "10/hour")]
    export_limit: String,
}

impl RegistrationArgs {
    pub fn apply(&self, config: &mut Config) -> Result<(), ConfigError> {
        let days = |name, value: u32| match value {
            0 => Err(ConfigError::InvalidNumber(name, "0".into())),
            n => Ok(Duration::from_secs(u64::from(n) * 86_400)),
        };
        let r = &mut config.registration;
        r.mode = parse_registration_mode(&self.registration)?;
        r.allowed_domains = parse_allowed_domains(&self.allowed_email_domains)?;
        r.invitation_ttl = days("AUTHDESK_INVITATION_DAYS", self.invitation_days)?;
        r.unverified_account_ttl = days("AUTHDESK_UNVERIFIED_ACCOUNT_DAYS", self.unverified_account_days)?;
        r.verification_by_email = RateLimit::parse(&self.verification_email_limit)?;
        r.verification_by_address = RateLimit::parse(&self.verification_address_limit)?;
        r.invitation_tries_by_address = RateLimit::parse(&self.invitation_address_limit)?;
        r.sign_in_alerts = parse_switch("AUTHDESK_SIGN_IN_ALERTS", &self.sign_in_alerts)?;
        config.public_url = self
            .public_url
            .as_deref()
            .map(|url| url.trim().trim_end_matches('/').to_owned())
            .filter(|url| !url.is_empty());
        config.export_limit = RateLimit::parse(&self.export_limit)?;
        config.sso = match self.oidc_issuer.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
            Some(issuer) => Some(SsoSettings::new(
                issuer,
                &self.oidc_client_id,
                &self.oidc_client_secret,
                &self.oidc_name,
                &self.oidc_scopes,
                config.public_url.as_deref(),
            )?),
            None => None,
        };
        Ok(())
    }
}
