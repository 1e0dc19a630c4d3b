//! `MailSettings`: the SMTP server and the sender, checked when the settings are read.

use std::fmt;

use super::{redact_url, ConfigError};

/// The mail server and the sender (`AUTHDESK_SMTP_URL`, `AUTHDESK_MAIL_FROM`), both checked
/// here: `smtp://host:port` (plain, for a relay on the same machine), `smtp://host?tls=required`
/// (STARTTLS) or `smtps://user:password@host`. The mailer is built from it in `crate::app`.
#[derive(Clone, PartialEq, Eq)]
pub struct MailSettings {
    url: String,
    from: String,
}

impl MailSettings {
    #[cfg(not(feature = "smtp"))]
    pub fn new(_url: &str, _from: &str) -> Result<Self, ConfigError> {
        Err(ConfigError::NotBuiltIn("mail (AUTHDESK_SMTP_URL)"))
    }

    #[cfg(feature = "smtp")]
    pub fn new(url: &str, from: &str) -> Result<Self, ConfigError> {
        use lettre::{message::Mailbox, AsyncSmtpTransport, Tokio1Executor};
        let url = url.trim();
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| ConfigError::InvalidSmtpUrl(redact_url(url)))?;
        let from = from.trim();
        if from.is_empty() {
            return Err(ConfigError::MissingMailFrom);
        }
        from.parse::<Mailbox>().map_err(|_| ConfigError::InvalidMailFrom(from.to_owned()))?;
        Ok(Self { url: url.to_owned(), from: from.to_owned() })
    }

    /// The URL, password included: for building the transport only, never for a log.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn from(&self) -> &str {
        &self.from
    }

    /// The mail server's URL, password redacted.
    pub fn server(&self) -> String {
        redact_url(&self.url)
    }

    /// Whether mail to this server crosses a network unencrypted: `smtp://` to another host
    /// without `tls=` (worth a warning at start: reset codes would travel in the clear).
    pub fn is_plaintext_remote(&self) -> bool {
        reqwest::Url::parse(&self.url).is_ok_and(|u| {
            let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]" | "::1"));
            u.scheme() == "smtp" && !loopback && !u.query_pairs().any(|(k, _)| k == "tls")
        })
    }
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings").field("server", &self.server()).field("from", &self.from).finish()
    }
}

#[cfg(all(test, feature = "smtp"))]
mod tests {
    use super::*;

    #[test]
    fn mail_settings_are_checked_and_never_print_a_password() {
        let mail = MailSettings::new(" smtps://u:hunter2@mail.example.com ", "authdesk <noreply@example.com>").unwrap();
        assert_eq!(mail.server(), "smtps://u:***@mail.example.com");
        assert!(!format!("{mail:?}").contains("hunter2"));
        assert!(!mail.is_plaintext_remote());
        assert!(MailSettings::new("smtp://mail.example.com", "a@example.com").unwrap().is_plaintext_remote());
        assert!(!MailSettings::new("smtp://127.0.0.1:2525", "a@example.com").unwrap().is_plaintext_remote());
        assert_eq!(MailSettings::new("smtp://h", " "), Err(ConfigError::MissingMailFrom));
        assert!(matches!(MailSettings::new("smtp://h", "not an address"), Err(ConfigError::InvalidMailFrom(_))));
        assert!(
            matches!(MailSettings::new("http://u:hunter2@h", "a@b.c"), Err(ConfigError::InvalidSmtpUrl(u)) if !u.contains("hunter2"))
        );
    }
}
