//! Who may join: the registration mode, the allowed email domains, how long invitations and
//! unverified accounts live, and the new sign-in alerts (`AUTHDESK_REGISTRATION` and friends).

use std::time::Duration;

pub use authdesk_contract::RegistrationMode;

use super::{ConfigError, RateLimit};

/// The registration settings. The defaults keep the original design's contract exactly: open
/// sign-up, any domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub mode: RegistrationMode,
    /// Lower-case domains an address must have to register (empty: any). An invitation is
    /// allowed for any address.
    pub allowed_domains: Vec<String>,
    pub invitation_ttl: Duration,
    /// Accounts registered on a `verified` server and never verified are deleted after this.
    pub unverified_account_ttl: Duration,
    /// How long a mailed verification code works.
    pub verification_code_ttl: Duration,
    /// Verification codes mailed per address (resend and re-registration).
    pub verification_by_email: Option<RateLimit>,
    /// Verification tries and resends per client address.
    pub verification_by_address: Option<RateLimit>,
    /// Registrations carrying an invitation code, per client address.
    pub invitation_tries_by_address: Option<RateLimit>,
    /// Mail the owner on a sign-in from a client the account has not used; `None`: on when mail is
    /// configured.
    pub sign_in_alerts: Option<bool>,
}

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

impl Default for Registration {
    fn default() -> Self {
        Self {
            mode: RegistrationMode::Open,
            allowed_domains: Vec::new(),
            invitation_ttl: 7 * DAY,
            unverified_account_ttl: 7 * DAY,
            verification_code_ttl: HOUR,
            verification_by_email: Some(RateLimit { max: 5, window: HOUR }),
            verification_by_address: Some(RateLimit { max: 30, window: HOUR }),
            invitation_tries_by_address: Some(RateLimit { max: 10, window: HOUR }),
            sign_in_alerts: None,
        }
    }
}

impl Registration {
    /// Whether `email` (normalised) may register without an invitation.
    pub fn domain_allowed(&self, email: &str) -> bool {
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        self.allowed_domains.is_empty() || self.allowed_domains.iter().any(|allowed| allowed == domain)
    }
}

pub fn parse_registration_mode(raw: &str) -> Result<RegistrationMode, ConfigError> {
    RegistrationMode::parse(raw).ok_or_else(|| ConfigError::InvalidRegistrationMode(raw.to_owned()))
}

/// A comma-separated list of domains (`example.com, example.org`), lower-cased; a leading `@` is
/// dropped. Refuses what cannot be a domain, so a typo does not silently close sign-up.
pub fn parse_allowed_domains(raw: &str) -> Result<Vec<String>, ConfigError> {
    raw.split(',')
        .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .map(|d| {
            let valid = d.contains('.')
                && d.len() <= 253
                && d.split('.').all(|label| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            if valid {
                Ok(d)
            } else {
                Err(ConfigError::InvalidEmailDomain(d))
            }
        })
        .collect()
}

/// `on`, `off`, or empty (`None`: on when mail is configured).
pub fn parse_switch(name: &'static str, raw: &str) -> Result<Option<bool>, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "on" | "true" | "yes" | "1" => Ok(Some(true)),
        "off" | "false" | "no" | "0" => Ok(Some(false)),
        _ => Err(ConfigError::InvalidSwitch(name, raw.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_parse_and_match_exactly() {
        let parsed = parse_allowed_domains(" Example.com, @example.org ,").unwrap();
        assert_eq!(parsed, ["example.com", "example.org"]);
        for bad in ["example", "exa mple.com", "-x.com", "a..com", "x.com/path"] {
            assert!(parse_allowed_domains(bad).is_err(), "{bad}");
        }
        let registration = Registration { allowed_domains: parsed, ..Registration::default() };
        assert!(registration.domain_allowed("ann@example.com"));
        assert!(!registration.domain_allowed("ann@eu.example.com"), "a subdomain is another domain");
        assert!(!registration.domain_allowed("ann@example.com.evil.test"));
        assert!(Registration::default().domain_allowed("ann@anything.test"));
    }

    #[test]
    fn modes_and_switches_parse() {
        assert_eq!(parse_registration_mode("verified"), Ok(RegistrationMode::Verified));
        assert!(parse_registration_mode("closed").is_err());
        assert_eq!(parse_switch("X", ""), Ok(None));
        assert_eq!(parse_switch("X", "OFF"), Ok(Some(false)));
        assert!(parse_switch("X", "maybe").is_err());
    }
}
